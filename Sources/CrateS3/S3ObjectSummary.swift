/// An object as HEAD or a listing describes it.
public struct S3ObjectSummary: Sendable, Hashable {
    public var key: String
    public var size: Int64
    /// The entity tag, without quotes; `nil` when the server sent none.
    public var etag: String?

    public init(key: String, size: Int64, etag: String? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
    }
}

/// One page of a ListObjectsV2 answer.
public struct S3ListPage: Sendable {
    public var objects: [S3ObjectSummary]
    /// Pass this to the next call to get the next page; `nil` on the last page.
    public var continuationToken: String?
}

/// The bytes of one GET, with what the response said about the whole object.
public struct S3ObjectBytes: Sendable {
    public var bytes: [UInt8]
    /// The whole object's size, from `Content-Range` (ranged GET) or `Content-Length`.
    public var objectSize: Int64?
    public var etag: String?
}
