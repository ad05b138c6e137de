/// One page of a ListObjectsV2 answer.
public struct S3ListPage: Sendable {
    public var objects: [S3ObjectSummary]
    /// Pass this to the next call to get the next page; `nil` on the last page.
    public var continuationToken: String?
}
