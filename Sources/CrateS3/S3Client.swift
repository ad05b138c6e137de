import AsyncHTTPClient
import Foundation
import Synchronization

/// A small S3 client bound to one bucket, on AsyncHTTPClient (SwiftNIO, swift-nio-ssl) through
/// `S3HTTPTransport`: pooled keep-alive connections shared by every client of the process.
///
/// Every request is signed with SigV4 (payload hash included) and sent through the
/// `RetryPolicy`, re-signed on each attempt so a late retry does not carry a stale date.
/// Object, multipart and bucket operations live in `S3Client+Objects.swift`,
/// `S3Client+Multipart.swift` and `S3Client+Bucket.swift`; streamed reads in `S3ObjectDownload`.
public final class S3Client: Sendable {
    /// How requests name the bucket.
    public enum Addressing: String, Sendable {
        /// `http://host/bucket/key`: works with any host name, including IP addresses.
        case path
        /// `http://bucket.host/key`: AWS's default; needs DNS for `bucket.host`. An endpoint whose
        /// host is an IP address falls back to `path`.
        case virtualHosted
    }

    public let endpoint: String
    public let region: String
    public let bucket: String
    public let addressing: Addressing
    public let retryPolicy: RetryPolicy
    /// Multipart parts one upload keeps in flight, at most.
    public let maxConcurrentParts: Int
    /// Bytes of request bodies all uploads together may hold (see `UploadBudget`).
    public let uploadBudget: UploadBudget
    let signer: SigV4Signer
    let http: HTTPClient
    /// Seconds an exchange may go without a byte moving either way.
    let idleTimeout: TimeInterval
    /// Whether the server has answered this client before: a refused connection is then an
    /// outage (retried), not a wrong endpoint (reported at once).
    let reachedServer = Mutex(false)
    /// Set once the bucket is known to exist, so a HEAD that misses need not check it again.
    let bucketConfirmed = Mutex(false)
    private let scheme: String
    private let hostAndPort: String

    /// - Parameters:
    ///   - endpoint: `http(s)://host[:port]`, e.g. `https://s3.eu-west-1.amazonaws.com`.
    ///   - timeout: seconds a request may go without a byte moving before it fails (and is
    ///     retried).
    ///   - caBundle: a PEM file of certificate authorities to trust besides the system's and
    ///     `AWS_CA_BUNDLE`'s (a profile's private CA).
    ///   - uploadBudget: bytes of request bodies held at once by all uploads; by default
    ///     `maxConcurrentParts` parts of `S3Store`'s 8 MiB.
    /// - Throws: `S3Error.invalidEndpoint` when `endpoint` is not such a URL.
    public init(
        endpoint: String, region: String, bucket: String, addressing: Addressing = .path,
        credentials: S3Credentials, retryPolicy: RetryPolicy = RetryPolicy(), maxConcurrentParts: Int = 4,
        timeout: TimeInterval = 30, uploadBudget: Int? = nil, caBundle: String? = nil
    ) throws(S3Error) {
        var trimmed = endpoint
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.path.isEmpty, components.query == nil
        else { throw .invalidEndpoint(endpoint) }
        self.endpoint = trimmed
        self.region = region
        self.bucket = bucket
        // `bucket.192.0.2.1` names nothing: an IP-literal endpoint can only be addressed by path.
        self.addressing = Self.isIPLiteral(host) ? .path : addressing
        self.retryPolicy = retryPolicy
        self.maxConcurrentParts = max(1, maxConcurrentParts)
        self.uploadBudget = UploadBudget(limit: uploadBudget ?? self.maxConcurrentParts * (8 << 20))
        self.signer = SigV4Signer(credentials: credentials, region: region)
        self.scheme = scheme
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host  // IPv6 literal
        self.hostAndPort = components.port.map { "\(bracketed):\($0)" } ?? bracketed
        self.idleTimeout = timeout
        let bundles = [S3TransportOptions.environmentCABundle, caBundle].compactMap { $0 }
        self.http = try S3HTTPTransport.client(
            S3TransportOptions(caBundles: bundles), secure: scheme == "https")
    }

    private static func isIPLiteral(_ host: String) -> Bool {
        if host.contains(":") || host.hasPrefix("[") { return true }  // IPv6
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Where a request for `key` (or the bucket itself, for `nil`) goes: host header and unencoded path.
    public func target(key: String?) -> (host: String, path: String) {
        switch addressing {
        case .path:
            return (hostAndPort, "/\(bucket)" + (key.map { "/\($0)" } ?? ""))
        case .virtualHosted:
            return ("\(bucket).\(hostAndPort)", "/" + (key ?? ""))
        }
    }

    /// The full URL of a request, with the path encoded exactly as it is signed.
    public func url(key: String?, query: [(String, String?)] = []) -> URL {
        let (host, path) = target(key: key)
        var text = "\(scheme)://\(host)\(AWSURIEncoding.encodePath(path))"
        if !query.isEmpty {
            text +=
                "?"
                + query.map { name, value in
                    AWSURIEncoding.encode(name) + (value.map { "=" + AWSURIEncoding.encode($0) } ?? "")
                }.joined(separator: "&")
        }
        return URL(string: text)!
    }

    /// A response whose status was 2xx (or 3xx/4xx the caller asked to see; see `accepting`).
    struct Response: Sendable {
        var status: Int
        /// Header names lower-cased.
        var headers: [String: String]
        var body: ResponseBody
    }

    /// Sends one request through the retry policy and maps failures to `S3Error`.
    /// - Parameter accepting: statuses returned as responses rather than thrown (e.g. 404 for HEAD).
    func send(
        _ method: String, key: String?, query: [(String, String?)] = [], headers: [String: String] = [:],
        body: Data? = nil, accepting: Set<Int> = [], operation: String
    ) async throws(S3Error) -> Response {
        // Over HTTPS, TLS protects the body in transit (see `SigV4Signer`).
        let payloadHash =
            body.map { scheme == "https" ? SigV4Signer.unsignedPayload : SigV4Signer.payloadHash($0) }
            ?? SigV4Signer.emptyPayloadHash
        return try await retryPolicy.run(operation) { () async throws(S3Error) -> Response in
            try await attempt(
                method, key: key, query: query, headers: headers, body: body, payloadHash: payloadHash,
                accepting: accepting)
        }
    }

    private func attempt(
        _ method: String, key: String?, query: [(String, String?)], headers: [String: String], body: Data?,
        payloadHash: String, accepting: Set<Int>
    ) async throws(S3Error) -> Response {
        if Task.isCancelled { throw .cancelled }
        let (host, path) = target(key: key)
        var toSign = headers
        toSign["host"] = host
        let signature = signer.sign(
            method: method, path: path, query: query, headers: toSign, payloadHash: payloadHash, date: Date())
        var requestHeaders = signature.headers.map { ($0.key, $0.value) }
        if body != nil { requestHeaders.append(("content-type", "application/octet-stream")) }
        // A deadline for the whole exchange on top of the idle timeout: generous (64 KiB/s of
        // body either way), so that only a connection that trickles forever reaches it.
        let expected = headers["range"].flatMap(Self.rangeLength) ?? 0
        // A paced body goes as slowly as its pace says: the idle watchdog alone guards it.
        let deadline =
            S3Upload.beforePiece != nil && body != nil
            ? 365 * 86_400 : 120 + Double((body?.count ?? 0) + expected) / 65536
        let sent: S3HTTPTransport.Exchange
        do {
            sent = try await S3HTTPTransport.send(
                http, method: method, url: url(key: key, query: query).absoluteString, headers: requestHeaders,
                body: body, idle: idleTimeout, deadline: deadline)
        } catch {
            if Task.isCancelled { throw .cancelled }
            throw S3HTTPTransport.error(
                error, endpoint: endpoint, host: host, reachedBefore: reachedServer.withLock { $0 })
        }
        reachedServer.withLock { $0 = true }
        let response = Response(status: sent.status, headers: sent.headers, body: sent.body)
        if (200..<300).contains(response.status) || accepting.contains(response.status) { return response }
        throw httpError(response, key: key)
    }

    /// Opens a GET whose body the caller streams, through the retry policy (which covers
    /// getting the response head; a body that breaks off is the caller's to resume). An error
    /// status is thrown as `S3Error`.
    /// - Parameter retrying: `false` for a single attempt (a resume, whose caller counts failures).
    func openStream(
        key: String, headers: [String: String], retrying: Bool = true, operation: String
    ) async throws(S3Error) -> S3ResponseStream {
        try await (retrying ? retryPolicy : .never).run(operation) { () async throws(S3Error) -> S3ResponseStream in
            if Task.isCancelled { throw .cancelled }
            let (host, path) = target(key: key)
            var toSign = headers
            toSign["host"] = host
            let signature = signer.sign(
                method: "GET", path: path, query: [], headers: toSign, payloadHash: SigV4Signer.emptyPayloadHash,
                date: Date())
            let stream: S3ResponseStream
            do {
                stream = try await S3HTTPTransport.open(
                    http, url: url(key: key).absoluteString, headers: signature.headers.map { ($0.key, $0.value) },
                    idle: idleTimeout)
            } catch {
                throw streamError(error, host: host)
            }
            reachedServer.withLock { $0 = true }
            if (200..<300).contains(stream.status) { return stream }
            throw httpError(
                Response(status: stream.status, headers: stream.headers, body: ResponseBody(stream.errorBody)), key: key
            )
        }
    }

    /// Maps a failure of the transport (opening a stream or reading one) to `S3Error`.
    func streamError(_ error: any Error, host: String? = nil) -> S3Error {
        if let error = error as? S3Error { return error }
        if Task.isCancelled { return .cancelled }
        return S3HTTPTransport.error(
            error, endpoint: endpoint, host: host ?? target(key: nil).host, reachedBefore: reachedServer.withLock { $0 }
        )
    }

    /// Bytes a `bytes=A-B` range asks for.
    static func rangeLength(_ header: String) -> Int? {
        let parts = header.dropFirst("bytes=".count).split(separator: "-")
        guard parts.count == 2, let lower = Int(parts[0]), let upper = Int(parts[1]), upper >= lower else { return nil }
        return upper - lower + 1
    }

    /// Maps a failed HTTP response (with or without an XML error body) to `S3Error`.
    func httpError(_ response: Response, key: String?) -> S3Error {
        let xml = S3XMLNode.parse(response.body.bytes)
        let code = xml?.text(of: "Code") ?? ""
        let message = xml?.text(of: "Message") ?? ""
        return S3Error.classify(
            status: response.status, code: code, message: message, bucket: bucket, key: key, endpoint: endpoint)
    }

}
