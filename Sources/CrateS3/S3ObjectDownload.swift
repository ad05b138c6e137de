/// Streams an object (or a range of it) as a sequence of ranged GETs of `windowSize` bytes.
///
/// Why windows rather than one long GET fed through a `URLSessionDataDelegate`: FoundationNetworking
/// cannot pause a data task, so a slow consumer would make a delegate buffer grow without bound;
/// and one long response that drops halfway cannot be retried. Each window is an ordinary request
/// that the `RetryPolicy` retries on its own, memory stays at two windows (the one being read
/// and the next, fetched ahead so the network stays busy), and every window after the first
/// carries `If-Match` with the first window's ETag, so an object replaced mid-read fails
/// (HTTP 412) instead of yielding a torn mix. The cost is one request per window (8 MiB by
/// default), negligible next to the transfer time of the window.
///
/// Not thread-safe: one task reads it, as with any `ByteReader`.
public final class S3ObjectDownload {
    public let key: String
    /// Size of the whole object.
    public let objectSize: Int64
    private let client: S3Client
    private let windowSize: Int64
    private let etag: String?
    private let end: Int64
    private var nextOffset: Int64
    private var current: [UInt8]
    private var position = 0
    private var prefetch: Task<Result<[UInt8], S3Error>, Never>?

    /// Fetches the first window, so a missing object or a bad range fails here, not on the first read.
    /// - Parameter range: half-open; an `upperBound` past the end is clipped. A `lowerBound`
    ///   past the end throws `S3Error.invalidRange`; at exactly the end, the download is empty.
    public static func open(
        _ client: S3Client, key: String, range: Range<Int64>? = nil, windowSize: Int = 8 << 20
    ) async throws(S3Error) -> S3ObjectDownload {
        let window = Int64(max(1, windowSize))
        let start = range?.lowerBound ?? 0
        if let range, range.isEmpty {
            guard let info = try await client.headObject(key) else { throw .noSuchKey(bucket: client.bucket, key: key) }
            if range.lowerBound > info.size { throw .invalidRange(bucket: client.bucket, key: key) }
            return S3ObjectDownload(
                client, key: key, size: info.size, etag: info.etag, window: window, first: [], next: start, end: start)
        }
        let firstEnd = range.map { min($0.upperBound, start + window) } ?? start + window
        let first: S3ObjectBytes
        do {
            first = try await client.getObject(key, range: start..<firstEnd)
        } catch .invalidRange {
            // S3 answers 416 both for an empty object and for a start at or past the end.
            guard let info = try await client.headObject(key) else { throw .noSuchKey(bucket: client.bucket, key: key) }
            if start > info.size { throw .invalidRange(bucket: client.bucket, key: key) }
            return S3ObjectDownload(
                client, key: key, size: info.size, etag: info.etag, window: window, first: [], next: start, end: start)
        }
        guard let size = first.objectSize else { throw .malformedResponse("GET \(key) told no object size") }
        let end = min(range?.upperBound ?? size, size)
        let download = S3ObjectDownload(
            client, key: key, size: size, etag: first.etag, window: window, first: first.bytes,
            next: start + Int64(first.bytes.count), end: end)
        download.startPrefetch()
        return download
    }

    private init(
        _ client: S3Client, key: String, size: Int64, etag: String?, window: Int64, first: [UInt8], next: Int64,
        end: Int64
    ) {
        self.client = client
        self.key = key
        self.objectSize = size
        self.etag = etag
        self.windowSize = window
        self.current = first
        self.nextOffset = next
        self.end = end
    }

    deinit { prefetch?.cancel() }

    /// The next bytes, at most `maxCount`, or `[]` at the end.
    public func read(upTo maxCount: Int) async throws(S3Error) -> [UInt8] {
        while position == current.count {
            guard let pending = prefetch else { return [] }
            prefetch = nil
            current = try await pending.value.get()
            position = 0
            if current.isEmpty { throw .malformedResponse("GET \(key) returned an empty window before the end") }
            nextOffset += Int64(current.count)
            startPrefetch()
        }
        if position == 0 && maxCount >= current.count {
            // Hand over the whole window without copying it.
            let whole = current
            current = []
            return whole
        }
        let stop = min(current.count, position + max(1, maxCount))
        let piece = Array(current[position..<stop])
        position = stop
        return piece
    }

    private func startPrefetch() {
        guard nextOffset < end else { return }
        let range = nextOffset..<min(end, nextOffset + windowSize)
        let (client, key, etag) = (client, key, etag)
        prefetch = Task { () async -> Result<[UInt8], S3Error> in
            do throws(S3Error) {
                return .success(try await client.getObject(key, range: range, ifMatch: etag).bytes)
            } catch {
                return .failure(error)
            }
        }
    }
}
