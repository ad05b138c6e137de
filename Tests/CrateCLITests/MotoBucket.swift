import CrateS3
import CrateTestSupport
import Foundation

/// A fresh bucket on the moto server `scripts/test` starts (`CRATE_TEST_S3_ENDPOINT`).
enum MotoBucket {
    static func endpoint() throws -> String { try MotoServer.endpoint() }

    /// Creates a bucket no other test uses and returns its name.
    static func create(_ label: String) async throws -> String {
        let bucket = "crate-\(label)-\(UInt32.random(in: 0...UInt32.max))"
        let client = try S3Client(
            endpoint: try endpoint(), region: "us-east-1", bucket: bucket, addressing: .path,
            credentials: S3Credentials(accessKeyId: "crate-test", secretAccessKey: "crate-test-secret"))
        try await client.createBucket()
        return bucket
    }
}
