import CrateS3
import CrateTestSupport
import Foundation
import Testing

/// The client over HTTPS, against moto with a certificate from a private CA: trusted through a
/// CA bundle it works (on kept-alive connections); untrusted, it fails at once with a message
/// that names the host and what to set.
@Suite struct S3TLSTests {
    static func client(caBundle: String?, retryPolicy: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(20)))
        throws -> S3Client
    {
        try S3Client(
            endpoint: try MotoServer.tlsEndpoint(), region: "us-east-1", bucket: TestS3Server.uniqueBucket("tls"),
            addressing: .path, credentials: TestS3Server.credentials, retryPolicy: retryPolicy,
            caBundle: caBundle)
    }

    @Test func aPrivateCAGivenAsABundleIsTrusted() async throws {
        let client = try Self.client(caBundle: try MotoServer.caBundle())
        try await client.createBucket()
        let body = TestS3Server.pattern(3 << 20, seed: 5)
        for index in 0..<20 { try await client.putObject("k/\(index)", bytes: Array(body.prefix(index * 1000 + 1))) }
        #expect(try await client.getObject("k/19").bytes == Array(body.prefix(19_001)))
        #expect(try await client.getObject("k/7", range: 10..<20).bytes == Array(body[10..<20]))
        #expect(try await client.listAllObjects(prefix: "k/").count == 20)
        try await client.putObject("big", bytes: body)
        #expect(try await client.getObject("big").bytes == body)
        try await client.deleteObject("big")
        #expect(try await client.headObject("big") == nil)
    }

    @Test func anUntrustedCertificateFailsAtOnceSayingWhatToSet() async throws {
        let retries = RetryCounter()
        let client = try Self.client(caBundle: nil, retryPolicy: retries.policy())
        let error = await #expect(throws: S3Error.self) { try await client.createBucket() }
        guard case .untrustedCertificate = error else {
            Issue.record("expected an untrusted-certificate error, got \(String(describing: error))")
            return
        }
        let message = "\(error!)"
        #expect(message.contains("the TLS certificate of 127.0.0.1:"), "\(message)")
        #expect(message.contains("is not trusted (certificate verify failed)"), "\(message)")
        #expect(message.contains("--ca-bundle FILE or AWS_CA_BUNDLE=FILE"), "\(message)")
        #expect(retries.count == 0, "a certificate problem does not fix itself: no retries")
    }

    @Test func aCABundleThatIsNotOneIsNamed() throws {
        let notPEM = NSTemporaryDirectory() + "not-a-ca-\(UUID().uuidString).pem"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: notPEM))
        defer { try? FileManager.default.removeItem(atPath: notPEM) }
        for path in [notPEM, "/nonexistent/ca.pem"] {
            let error = #expect(throws: S3Error.self) { try Self.client(caBundle: path) }
            #expect("\(error!)".contains("the CA bundle \(path) cannot be used"), "\(String(describing: error))")
        }
    }
}
