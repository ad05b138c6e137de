/// The bytes of one GET, with what the response said about the whole object.
public struct S3ObjectBytes: Sendable {
    public var bytes: [UInt8]
    /// The whole object's size, from `Content-Range` (ranged GET) or `Content-Length`.
    public var objectSize: Int64?
    public var etag: String?
}
