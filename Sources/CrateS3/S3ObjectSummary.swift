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
