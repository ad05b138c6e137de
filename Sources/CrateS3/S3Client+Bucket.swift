import Foundation

extension S3Client {
    /// Whether the bucket exists (HEAD bucket): `false` on 404; a 403 or any other failure throws.
    public func bucketExists() async throws(S3Error) -> Bool {
        let response = try await send("HEAD", key: nil, accepting: [404], operation: "HEAD bucket \(bucket)")
        let exists = response.status != 404
        bucketConfirmed.withLock { $0 = exists }
        return exists
    }

    /// Throws a clear `S3Error.noSuchBucket` unless the bucket exists.
    public func checkBucket() async throws(S3Error) {
        if try await !bucketExists() { throw .noSuchBucket(bucket: bucket, endpoint: endpoint) }
    }

    /// Creates the bucket in this client's region; succeeds if this account already owns it.
    public func createBucket() async throws(S3Error) {
        // us-east-1 is the one region that refuses an explicit LocationConstraint.
        let body =
            region == "us-east-1"
            ? nil
            : Data(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + "<LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>").utf8)
        do {
            _ = try await send("PUT", key: nil, body: body, operation: "create bucket \(bucket)")
        } catch .rejected(_, "BucketAlreadyOwnedByYou", _) {
            return
        }
    }

    /// Deletes the (empty) bucket. For tests.
    public func deleteBucket() async throws(S3Error) {
        _ = try await send("DELETE", key: nil, operation: "delete bucket \(bucket)")
    }
}
