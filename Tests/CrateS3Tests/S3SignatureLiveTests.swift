import CrateS3
import Foundation
import Testing

/// Signatures checked by a real server: moto with authentication on (see `MotoAuthServer`).
struct S3SignatureLiveTests {
    @Test func rightSecretWorksAndWrongOnesAreRefusedWithoutRetrying() async throws {
        let server = try await MotoAuthServer()
        let counter = RetryCounter()
        func client(_ keyId: String, _ secret: String, bucket: String = "signed") throws -> S3Client {
            try S3Client(
                endpoint: server.endpoint, region: "us-east-1", bucket: bucket,
                credentials: S3Credentials(accessKeyId: keyId, secretAccessKey: secret),
                retryPolicy: counter.policy())
        }
        let good = try client(server.credentials.accessKeyId, server.credentials.secretAccessKey)
        try await good.createBucket()
        let bytes = TestS3Server.pattern(200_000)
        try await good.putObject("plain-key.bin", bytes: bytes)
        #expect(try await good.getObject("plain-key.bin").bytes == bytes)
        #expect(try await good.getObject("plain-key.bin", range: 10..<20).bytes == Array(bytes[10..<20]))
        #expect(try await good.headObject("plain-key.bin")?.size == 200_000)
        #expect(try await good.listAllObjects(prefix: "plain").map(\.key) == ["plain-key.bin"])

        let big = TestS3Server.pattern(11 << 20, seed: 1)
        var offset = S3Client.minimumPartSize
        try await good.uploadMultipart("multi.bin", firstPart: Array(big[0..<offset])) {
            let end = min(big.count, offset + S3Client.minimumPartSize)
            defer { offset = end }
            return Array(big[offset..<end])
        }
        #expect(try await good.getObject("multi.bin").bytes == big)
        try await good.deleteObject("plain-key.bin")
        #expect(counter.besidesLoad.isEmpty, "\(counter.all)")

        let wrongSecret = try client(server.credentials.accessKeyId, "not-the-secret")
        await #expect(throws: S3Error.signatureDoesNotMatch(endpoint: server.endpoint)) {
            try await wrongSecret.putObject("x", bytes: [1])
        }
        await #expect(throws: S3Error.signatureDoesNotMatch(endpoint: server.endpoint)) {
            try await wrongSecret.getObject("multi.bin")
        }
        let wrongKey = try client("AKIAUNKNOWNKEY000000", server.credentials.secretAccessKey)
        await #expect(throws: S3Error.invalidAccessKeyId(endpoint: server.endpoint)) {
            try await wrongKey.putObject("x", bytes: [1])
        }
        #expect(counter.besidesLoad.isEmpty, "\(counter.all)")
    }
}
