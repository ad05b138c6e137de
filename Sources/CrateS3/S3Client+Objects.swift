import Foundation

extension S3Client {
    /// Stores `bytes` under `key` in one PUT with a signed payload hash.
    public func putObject(_ key: String, bytes: [UInt8]) async throws(S3Error) {
        try await putObject(key, data: Data(bytes))
    }

    /// Stores `data` under `key` in one PUT, without copying it first.
    public func putObject(_ key: String, data: Data) async throws(S3Error) {
        _ = try await send("PUT", key: key, body: data, operation: "PUT \(bucket)/\(key)")
    }

    /// Reads an object, or `range` (half-open, in bytes) of it, into memory. Meant for windows of
    /// a bounded size; `S3ObjectDownload` streams whole objects window by window.
    /// - Parameter ifMatch: an ETag the object must still have (else HTTP 412).
    public func getObject(
        _ key: String, range: Range<Int64>? = nil, ifMatch: String? = nil
    ) async throws(S3Error) -> S3ObjectBytes {
        let window = try await getWindow(key, range: range, ifMatch: ifMatch)
        return S3ObjectBytes(bytes: window.body.bytes, objectSize: window.objectSize, etag: window.etag)
    }

    /// `getObject` with the body left in the pieces the connection read.
    func getWindow(
        _ key: String, range: Range<Int64>?, ifMatch: String? = nil
    ) async throws(S3Error) -> (body: ResponseBody, objectSize: Int64, etag: String?) {
        var headers: [String: String] = [:]
        if let range {
            headers["range"] = "bytes=\(range.lowerBound)-\(range.upperBound - 1)"
        }
        if let ifMatch { headers["if-match"] = "\"\(ifMatch)\"" }
        let response = try await send("GET", key: key, headers: headers, operation: "GET \(bucket)/\(key)")
        let etag = Self.etag(response.headers)
        if response.status == 200 {
            // A server that ignores Range sends the whole object: cut out what was asked for.
            let size = Int64(response.body.count)
            guard let range else { return (response.body, size, etag) }
            guard range.lowerBound < size else { throw .invalidRange(bucket: bucket, key: key) }
            let whole = response.body.bytes
            return (ResponseBody(Array(whole[Int(range.lowerBound)..<Int(min(range.upperBound, size))])), size, etag)
        }
        guard let contentRange = response.headers["content-range"], let slash = contentRange.lastIndex(of: "/"),
            let size = Int64(contentRange[contentRange.index(after: slash)...])
        else { throw .malformedResponse("GET \(key) answered \(response.status) without a usable Content-Range") }
        return (response.body, size, etag)
    }

    /// Size and ETag of an object, or `nil` when there is none.
    public func headObject(_ key: String) async throws(S3Error) -> S3ObjectSummary? {
        let response = try await send("HEAD", key: key, accepting: [404], operation: "HEAD \(bucket)/\(key)")
        if response.status == 404 {
            // A HEAD has no body to say which is missing: tell a missing bucket apart, once.
            if !bucketConfirmed.withLock({ $0 }) { try await checkBucket() }
            return nil
        }
        guard let length = response.headers["content-length"].flatMap({ Int64($0) }) else {
            throw .malformedResponse("HEAD \(key) has no Content-Length")
        }
        return S3ObjectSummary(key: key, size: length, etag: Self.etag(response.headers))
    }

    /// Deletes an object; S3 answers 204 whether or not it existed.
    public func deleteObject(_ key: String) async throws(S3Error) {
        _ = try await send("DELETE", key: key, accepting: [404], operation: "DELETE \(bucket)/\(key)")
    }

    /// One page of ListObjectsV2 (at most `maxKeys`, ≤ 1000, objects).
    public func listObjects(
        prefix: String, continuationToken: String? = nil, maxKeys: Int = 1000
    ) async throws(S3Error) -> S3ListPage {
        var query: [(String, String?)] = [("list-type", "2"), ("max-keys", String(maxKeys))]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let response = try await send("GET", key: nil, query: query, operation: "LIST \(bucket)/\(prefix)")
        guard let root = S3XMLNode.parse(response.body.bytes), root.name == "ListBucketResult" else {
            throw .malformedResponse("ListObjectsV2 answer is not a ListBucketResult")
        }
        var objects: [S3ObjectSummary] = []
        for entry in root.all("Contents") {
            guard let key = entry.text(of: "Key"), let size = entry.text(of: "Size").flatMap({ Int64($0) }) else {
                throw .malformedResponse("ListObjectsV2 entry without Key or Size")
            }
            objects.append(S3ObjectSummary(key: key, size: size, etag: entry.text(of: "ETag").map(Self.unquote)))
        }
        let truncated = root.text(of: "IsTruncated") == "true"
        let next = root.text(of: "NextContinuationToken")
        if truncated && (next ?? "").isEmpty {
            throw .malformedResponse("ListObjectsV2 page is truncated but has no NextContinuationToken")
        }
        return S3ListPage(objects: objects, continuationToken: truncated ? next : nil)
    }

    /// Every object whose key starts with `prefix`, sorted by the bytes of the key (S3's own order),
    /// following continuation tokens.
    public func listAllObjects(prefix: String) async throws(S3Error) -> [S3ObjectSummary] {
        var all: [S3ObjectSummary] = []
        var token: String?
        repeat {
            let page = try await listObjects(prefix: prefix, continuationToken: token)
            all += page.objects
            token = page.continuationToken
        } while token != nil
        return all.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    static func etag(_ headers: [String: String]) -> String? {
        headers["etag"].map(unquote)
    }

    static func unquote(_ value: String) -> String {
        var text = value
        if text.hasPrefix("W/") { text.removeFirst(2) }
        if text.hasPrefix("\"") && text.hasSuffix("\"") && text.count >= 2 {
            text = String(text.dropFirst().dropLast())
        }
        return text
    }
}
