/// Streams an object (or a range of it) through one GET whose body is read as the caller asks
/// for it (`S3ResponseStream`): memory stays at the piece in hand, the server sees one request
/// per object, and TCP back-pressure holds it while the caller is busy.
///
/// A body that breaks off (a dropped connection, a stall the watchdog ends, a short body) is
/// resumed where the caller stands with a ranged GET carrying `If-Match` with the first
/// response's ETag, so an object replaced meanwhile fails (HTTP 412, `objectChanged`) instead
/// of yielding a torn mix. Resumes back off like any retry and give up after the retry policy's
/// attempts without a byte of progress.
///
/// Not thread-safe: one task reads it, as with any `ByteReader`.
public final class S3ObjectDownload {
    public let key: String
    /// Size of the whole object.
    public let objectSize: Int64
    private let client: S3Client
    private let etag: String?
    private let end: Int64
    /// The next byte the caller gets.
    private var offset: Int64
    private var stream: S3ResponseStream?
    /// Bytes to drop from the front of `stream` (a server that ignored Range sent the whole object).
    private var skip: Int64

    /// Sends the GET, so a missing object or a bad range fails here, not on the first read.
    /// - Parameter range: half-open; an `upperBound` past the end is clipped. A `lowerBound`
    ///   past the end throws `S3Error.invalidRange`; at exactly the end, the download is empty.
    public static func open(
        _ client: S3Client, key: String, range: Range<Int64>? = nil
    ) async throws(S3Error) -> S3ObjectDownload {
        let start = range?.lowerBound ?? 0
        func emptyAt(_ start: Int64) async throws(S3Error) -> S3ObjectDownload {
            guard let info = try await client.headObject(key) else { throw .noSuchKey(bucket: client.bucket, key: key) }
            if start > info.size { throw .invalidRange(bucket: client.bucket, key: key) }
            return S3ObjectDownload(client, key: key, size: info.size, etag: info.etag, start: start, end: start)
        }
        if let range, range.isEmpty { return try await emptyAt(start) }
        let stream: S3ResponseStream
        do {
            stream = try await client.openStream(
                key: key, headers: range.map { ["range": rangeHeader($0)] } ?? [:], operation: operation(client, key))
        } catch .invalidRange {
            // S3 answers 416 both for an empty object and for a start at or past the end.
            return try await emptyAt(start)
        }
        let size = try objectSize(of: stream, key: key)
        let download = S3ObjectDownload(
            client, key: key, size: size, etag: S3Client.etag(stream.headers), start: start,
            end: min(range?.upperBound ?? size, size))
        download.take(stream)
        return download
    }

    private init(_ client: S3Client, key: String, size: Int64, etag: String?, start: Int64, end: Int64) {
        self.client = client
        self.key = key
        self.objectSize = size
        self.etag = etag
        self.offset = start
        self.end = end
        self.skip = 0
    }

    /// The next bytes, at most `maxCount`, or `[]` at the end.
    public func read(upTo maxCount: Int) async throws(S3Error) -> [UInt8] {
        var failures = 0
        while offset < end {
            do {
                let stream = try await currentStream()
                while skip > 0 {
                    let dropped = try await stream.read(upTo: Int(min(skip, 1 << 20)))
                    if dropped.isEmpty { throw S3Error.connectionLost(endpoint: client.endpoint, reason: shortBody) }
                    skip -= Int64(dropped.count)
                }
                let bytes = try await stream.read(upTo: Int(min(Int64(max(1, maxCount)), end - offset)))
                if bytes.isEmpty { throw S3Error.connectionLost(endpoint: client.endpoint, reason: shortBody) }
                offset += Int64(bytes.count)
                if offset == end { self.stream = nil }
                return bytes
            } catch {
                self.stream = nil
                let failure = client.streamError(error)
                failures += 1
                guard failure.isRetryable, failures < client.retryPolicy.maxAttempts else { throw failure }
                try await client.retryPolicy.backOff(
                    after: failures, operation: Self.operation(client, key), error: failure)
            }
        }
        return []
    }

    private var shortBody: String { "the body of GET \(key) ended early" }

    /// The open stream, or a new GET from `offset` on (the same object: `If-Match`).
    private func currentStream() async throws(S3Error) -> S3ResponseStream {
        if let stream { return stream }
        var headers = ["range": Self.rangeHeader(offset..<end)]
        if let etag { headers["if-match"] = "\"\(etag)\"" }
        // One attempt: `read` counts the failures and backs off.
        let opened = try await client.openStream(
            key: key, headers: headers, retrying: false, operation: Self.operation(client, key))
        take(opened)
        return opened
    }

    private func take(_ opened: S3ResponseStream) {
        stream = opened
        skip = opened.status == 206 ? 0 : offset
    }

    private static func rangeHeader(_ range: Range<Int64>) -> String {
        "bytes=\(range.lowerBound)-\(range.upperBound - 1)"
    }

    private static func operation(_ client: S3Client, _ key: String) -> String { "GET \(client.bucket)/\(key)" }

    /// The whole object's size: `Content-Range`'s total for 206, `Content-Length` for 200.
    private static func objectSize(of stream: S3ResponseStream, key: String) throws(S3Error) -> Int64 {
        if stream.status == 206 {
            guard let contentRange = stream.headers["content-range"], let slash = contentRange.lastIndex(of: "/"),
                let size = Int64(contentRange[contentRange.index(after: slash)...])
            else { throw .malformedResponse("GET \(key) answered 206 without a usable Content-Range") }
            return size
        }
        guard let size = stream.headers["content-length"].flatMap(Int64.init) else {
            throw .malformedResponse("GET \(key) told no object size")
        }
        return size
    }
}
