import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// How an `S3Client` talks HTTP: AsyncHTTPClient on SwiftNIO, TLS from swift-nio-ssl.
///
/// One pooled `HTTPClient` per process and configuration (trust roots, timeouts), shared by
/// every `S3Client` that asks for the same: connections are kept alive and reused, so a chunk
/// costs one request, not a TCP and TLS handshake. The clients live as long as the process.
///
/// Deadlines: `connect` bounds opening a connection (TLS handshake included); `send`'s watchdog
/// bounds how long an exchange may go without a byte moving either way (a stalled or black-holed
/// server, a peer that stops reading) and its whole time. Cancelling the task that sends a
/// request ends it at once.
public struct S3TransportOptions: Hashable, Sendable {
    /// PEM files of certificate authorities trusted on top of the system's (a private CA).
    public var caBundles: [String]
    public var connectTimeout: TimeInterval

    public init(caBundles: [String] = [], connectTimeout: TimeInterval = 10) {
        self.caBundles = caBundles
        self.connectTimeout = connectTimeout
    }

    /// `AWS_CA_BUNDLE`, the AWS tools' way of naming a private CA, when set.
    public static var environmentCABundle: String? {
        ProcessInfo.processInfo.environment["AWS_CA_BUNDLE"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

enum S3HTTPTransport {
    private static let clients = Mutex<[S3TransportOptions: HTTPClient]>([:])

    /// The shared client for `options`; made on first use. Certificate files are read here, so
    /// a bad one fails with a message naming it.
    static func client(_ options: S3TransportOptions, secure: Bool) throws(S3Error) -> HTTPClient {
        // Plain HTTP needs no trust roots: an `AWS_CA_BUNDLE` meant for other tools is ignored.
        var options = options
        if !secure { options.caBundles = [] }
        let result = Result { () throws(S3Error) -> HTTPClient in
            try clients.withLock { (clients) throws(S3Error) -> HTTPClient in
                if let client = clients[options] { return client }
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: try configuration(options))
                clients[options] = client
                return client
            }
        }
        return try result.get()
    }

    /// How long a closing connection waits for the server's TLS close_notify. swift-nio-ssl
    /// keeps the connection's handler (its buffers: about half a MiB after a 4 MiB GET) alive
    /// until this passes, even after the socket closed; at its default of 5 s, a server that
    /// closes every connection (moto) made memory grow with each request: a plain chunked
    /// export of 482 MiB in 1 MiB chunks peaked at 293 MiB (62 MiB over plain HTTP). Every S3
    /// response is framed by its length, so nothing is learnt from waiting.
    static let closeNotifyWait = TimeAmount.milliseconds(100)

    private static func configuration(_ options: S3TransportOptions) throws(S3Error) -> HTTPClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.shutdownTimeout = closeNotifyWait
        var roots: [NIOSSLCertificate] = []
        for path in options.caBundles {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(path)
                guard !certificates.isEmpty else {
                    throw S3Error.invalidCABundle(path: path, reason: "it holds no PEM certificate")
                }
                roots += certificates
            } catch let error as S3Error {
                throw error
            } catch {
                let reason =
                    FileManager.default.isReadableFile(atPath: path) ? "not PEM certificates" : "cannot read it"
                throw S3Error.invalidCABundle(path: path, reason: reason)
            }
        }
        if !roots.isEmpty { tls.additionalTrustRoots = [.certificates(roots)] }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            // Idle and overall time are the exchange's watchdog's (`send`); AsyncHTTPClient's
            // read timer stops at the response head and its write timer while a peer stops reading.
            timeout: .init(connect: .milliseconds(Int64(options.connectTimeout * 1000))),
            connectionPool: .init(idleTimeout: .seconds(50), concurrentHTTP1ConnectionsPerHostSoftLimit: 32),
            ignoreUncleanSSLShutdown: false, decompression: .disabled)
        configuration.httpVersion = .http1Only
        // A connection that cannot be made fails its request at once: `RetryPolicy` decides
        // about retrying (a certificate problem never is), with the backoff it reports.
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// Sends one request and reads the response whole (S3's answers are small; reads come in
    /// windows). The body goes out in `bodyPiece` slices as the connection can take them, so
    /// nothing but the piece in hand is copied. A watchdog ends the exchange when no byte has
    /// moved either way for `idle` seconds, or after `deadline` seconds in all: AsyncHTTPClient's
    /// own timers stop at the response head and do not run while a peer refuses to read.
    static func send(
        _ client: HTTPClient, method: String, url: String, headers: [(String, String)], body: Data?,
        idle: TimeInterval, deadline: TimeInterval
    ) async throws -> Exchange {
        try await watched(idle: idle, deadline: deadline) { progress in
            try await exchange(client, method: method, url: url, headers: headers, body: body, progress: progress)
        }
    }

    /// Sends a GET and returns once the response head is in; the body is read through the
    /// returned stream as the caller asks for it (see `S3ResponseStream`). An error status comes
    /// with its (small) body read whole.
    static func open(
        _ client: HTTPClient, url: String, headers: [(String, String)], idle: TimeInterval
    ) async throws -> S3ResponseStream {
        try await watched(idle: idle, deadline: 120) { progress in
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            let response = try await client.execute(request, timeout: .hours(24))
            var responseHeaders: [String: String] = [:]
            for header in response.headers { responseHeaders[header.name.lowercased()] = header.value }
            let stream = S3ResponseStream(
                status: Int(response.status.code), headers: responseHeaders, body: response.body, idle: idle)
            if !(200..<300).contains(stream.status) { stream.errorBody = try await stream.read(upTo: 1 << 20) }
            return stream
        }
    }

    /// Runs `work` beside a watchdog that ends it (cancelling it, so AsyncHTTPClient drops the
    /// connection) when `work` has not called `progress.moved()` for `idle` seconds, or after
    /// `deadline` seconds in all.
    static func watched<T: Sendable>(
        idle: TimeInterval, deadline: TimeInterval, _ work: @escaping @Sendable (ProgressClock) async throws -> T
    ) async throws -> T {
        let progress = ProgressClock()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work(progress) }
            group.addTask {
                try await progress.watch(idle: idle, deadline: deadline)
                return nil
            }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                if let outcome { return outcome }
            }
            throw CancellationError()
        }
    }

    typealias Exchange = (status: Int, headers: [String: String], body: ResponseBody)
    static let bodyPiece = 256 << 10
    /// The slice of a paced body (`S3Upload.beforePiece`).
    static let pacedPiece = 64 << 10

    private static func exchange(
        _ client: HTTPClient, method: String, url: String, headers: [(String, String)], body: Data?,
        progress: ProgressClock
    ) async throws -> Exchange {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.body = .stream(BodyPieces(data: body, progress: progress), length: .known(Int64(body.count)))
        }
        // The overall deadline is the watchdog's; this one only has to be later.
        let response = try await client.execute(request, timeout: .hours(24))
        progress.moved()
        var responseHeaders: [String: String] = [:]
        for header in response.headers { responseHeaders[header.name.lowercased()] = header.value }
        var data = ResponseBody()
        if method != "HEAD" {
            let expected = responseHeaders["content-length"].flatMap(Int.init) ?? 0
            for try await piece in response.body {
                data.append(piece)
                progress.moved()
                if data.count > max(expected, 1 << 20) + (64 << 20) {
                    throw HTTPClientError.bodyLengthMismatch
                }
            }
        }
        return (Int(response.status.code), responseHeaders, data)
    }

    /// Maps a transport failure (no HTTP response) to `S3Error`. `reachedBefore`: whether this
    /// client has had an answer from the server before (a refused connection is then an
    /// outage, worth retrying, not a wrong endpoint).
    static func error(_ error: any Error, endpoint: String, host: String, reachedBefore: Bool) -> S3Error {
        if error is CancellationError { return .cancelled }
        if let client = error as? HTTPClientError {
            switch client {
            case .cancelled, .requestStreamCancelled: return .cancelled
            case .readTimeout, .writeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout:
                return .timedOut(endpoint: endpoint)
            case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath, .bodyLengthMismatch:
                return .malformedResponse("\(client)")  // nothing a retry changes
            case .connectTimeout, .tlsHandshakeTimeout:
                return reachedBefore
                    ? .timedOut(endpoint: endpoint) : .unreachable(endpoint: endpoint, reason: "connecting timed out")
            case .remoteConnectionClosed:
                return .connectionLost(endpoint: endpoint, reason: "the server closed the connection")
            default:
                return .connectionLost(endpoint: endpoint, reason: "\(client)")
            }
        }
        if let tls = error as? NIOSSLError, let reason = certificateProblem(tls) {
            return .untrustedCertificate(endpoint: endpoint, host: host, reason: reason)
        }
        if let tls = error as? NIOSSLExtraError {
            return .untrustedCertificate(endpoint: endpoint, host: host, reason: "\(tls)")
        }
        if let io = error as? IOError {
            let reason = String(cString: strerror(io.errnoCode))
            if io.errnoCode == ECONNREFUSED || io.errnoCode == EHOSTUNREACH || io.errnoCode == ENETUNREACH {
                return reachedBefore
                    ? .connectionLost(endpoint: endpoint, reason: reason)
                    : .unreachable(endpoint: endpoint, reason: reason)
            }
            return .connectionLost(endpoint: endpoint, reason: reason)
        }
        if let connect = error as? NIOConnectionError {
            let reason = connect.connectionErrors.first.map { "\($0.error)" } ?? "no address to connect to"
            if connect.dnsAError != nil || connect.dnsAAAAError != nil, connect.connectionErrors.isEmpty {
                // After the server answered once, a name that stops resolving is the network going.
                let reason = "cannot resolve the host name"
                return reachedBefore
                    ? .connectionLost(endpoint: endpoint, reason: reason)
                    : .unreachable(endpoint: endpoint, reason: reason)
            }
            return reachedBefore
                ? .connectionLost(endpoint: endpoint, reason: reason) : .unreachable(endpoint: endpoint, reason: reason)
        }
        if let channel = error as? ChannelError {
            switch channel {
            case .connectTimeout:
                return reachedBefore
                    ? .timedOut(endpoint: endpoint) : .unreachable(endpoint: endpoint, reason: "connecting timed out")
            default: return .connectionLost(endpoint: endpoint, reason: "\(channel)")
            }
        }
        return .connectionLost(endpoint: endpoint, reason: String(describing: error))
    }

    /// The certificate problem a TLS failure stands for, if it is one.
    private static func certificateProblem(_ error: NIOSSLError) -> String? {
        switch error {
        case .handshakeFailed(let detail):
            // BoringSSL's text: "... OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /path/file.cc:123".
            let text = "\(detail)"
            guard text.uppercased().contains("CERTIFICATE") else { return nil }
            guard let start = text.range(of: "OPENSSL_internal:") else { return "the handshake failed" }
            let name = text[start.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            return name.replacingOccurrences(of: "_", with: " ").lowercased()
        case .unableToValidateCertificate: return "the certificate chain could not be validated"
        default: return nil
        }
    }
}

/// When a byte last moved in an exchange, and the watchdog that ends it when none has for too
/// long.
final class ProgressClock: Sendable {
    private let started = ContinuousClock.now
    private let last = Mutex(ContinuousClock.now)

    func moved() { last.withLock { $0 = .now } }

    /// Returns never; throws `readTimeout` once nothing moved for `idle` seconds, and
    /// `deadlineExceeded` after `deadline` seconds in all. Ends (throwing) when cancelled.
    func watch(idle: TimeInterval, deadline: TimeInterval) async throws {
        let tick = Duration.milliseconds(Int64(min(500, max(50, idle * 100))))
        while true {
            try await Task.sleep(for: tick)
            let now = ContinuousClock.now
            if now - last.withLock({ $0 }) > .milliseconds(Int64(idle * 1000)) { throw HTTPClientError.readTimeout }
            if now - started > .milliseconds(Int64(deadline * 1000)) { throw HTTPClientError.deadlineExceeded }
        }
    }
}

/// A response whose body is read as the caller asks for it: between reads nobody takes bytes
/// off the connection, so AsyncHTTPClient stops reading the socket and the server waits (TCP
/// back-pressure) — memory stays at the piece in hand whatever the object's size. Each read
/// runs under its own watchdog: `idle` seconds without a byte while the reader waits end it,
/// and time the caller spends between reads does not count.
///
/// One task reads it at a time (as any `ByteReader`); that is what makes the iterator's
/// unchecked sharing with the read's child task safe.
final class S3ResponseStream: @unchecked Sendable {
    let status: Int
    let headers: [String: String]
    /// The body of an error status, read by `open`.
    fileprivate(set) var errorBody: [UInt8] = []
    private let idle: TimeInterval
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private var leftover: ByteBuffer?
    private var ended = false

    fileprivate init(status: Int, headers: [String: String], body: HTTPClientResponse.Body, idle: TimeInterval) {
        self.status = status
        self.headers = headers
        self.idle = idle
        self.iterator = body.makeAsyncIterator()
    }

    /// The next bytes, at most `maxCount` and fewer only at the end of the body; `[]` at the end.
    func read(upTo maxCount: Int) async throws -> [UInt8] {
        let limit = max(1, maxCount)
        if ended && leftover == nil { return [] }
        // Generous: 64 KiB/s on top of two minutes, so only a trickle that never ends reaches it.
        return try await S3HTTPTransport.watched(idle: idle, deadline: 120 + Double(limit) / 65536) { progress in
            try await self.gather(limit, progress: progress)
        }
    }

    private func gather(_ limit: Int, progress: ProgressClock) async throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(limit)
        while out.count < limit {
            if leftover == nil {
                guard !ended, let piece = try await iterator.next() else {
                    ended = true
                    break
                }
                progress.moved()
                leftover = piece
            }
            let take = min(limit - out.count, leftover!.readableBytes)
            out.append(contentsOf: leftover!.readableBytesView.prefix(take))
            leftover!.moveReaderIndex(forwardBy: take)
            if leftover!.readableBytes == 0 { leftover = nil }
        }
        return out
    }
}

/// A response body kept as the pieces the connection read (NIO's buffers of a few KiB), not
/// gathered into one array: an 8 MiB window would otherwise be a fresh 8 MiB mapping that the
/// kernel zeroes page by page, and then copied once more on its way out (the page faults and
/// system time this saved on a chunked export are in docs/benchmarks.md).
struct ResponseBody: Sendable {
    private(set) var pieces: [ByteBuffer] = []
    private(set) var count = 0

    init() {}

    init(_ bytes: [UInt8]) { append(ByteBuffer(bytes: bytes)) }

    mutating func append(_ piece: ByteBuffer) {
        guard piece.readableBytes > 0 else { return }
        count += piece.readableBytes
        pieces.append(piece)
    }

    /// The whole body in one array.
    var bytes: [UInt8] {
        var whole: [UInt8] = []
        whole.reserveCapacity(count)
        for piece in pieces { whole.append(contentsOf: piece.readableBytesView) }
        return whole
    }
}

/// A request body handed to the connection one slice at a time, as it asks for them (so a
/// connection that cannot send holds one slice, and the watchdog sees the body stop). The
/// `S3Upload` hooks of the task making the request pace the slices and hear them go.
struct BodyPieces: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let data: Data
    let progress: ProgressClock
    let beforePiece = S3Upload.beforePiece
    let bodySent = S3Upload.bodySent

    struct AsyncIterator: AsyncIteratorProtocol {
        let pieces: BodyPieces
        var offset: Int

        mutating func next() async throws -> ByteBuffer? {
            let data = pieces.data
            guard offset < data.count else { return nil }
            let slice = pieces.beforePiece == nil ? S3HTTPTransport.bodyPiece : S3HTTPTransport.pacedPiece
            let end = Swift.min(offset + slice, data.count)
            if let beforePiece = pieces.beforePiece {
                // Waiting for the pace is not a stalled connection: keep the watchdog fed.
                let progress = pieces.progress
                let keepAlive = Task {
                    while !Task.isCancelled {
                        progress.moved()
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
                defer { keepAlive.cancel() }
                try await beforePiece(end - offset)
                progress.moved()
            }
            let start = data.startIndex + offset
            let piece = ByteBuffer(bytes: data[start..<(data.startIndex + end)])
            pieces.bodySent?(end - offset)
            offset = end
            pieces.progress.moved()
            return piece
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(pieces: self, offset: 0) }
}
