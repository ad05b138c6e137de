import CrateS3
import CrateTestSupport
import Foundation
import Testing

/// The built binary against moto over HTTPS with a private CA: trusted through a profile's
/// `--ca-bundle` or through `AWS_CA_BUNDLE`, an import and its read-back work; trusted through
/// neither, the user is told what to set.
@Suite struct S3TLSCommandTests {
    static let album = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/album/Björk Guðmundsdóttir - Tōkyō Sessions (2004)").path

    func addProfile(_ crate: CrateProcess, _ name: String, extra: [String] = []) async throws -> CrateProcess.Result {
        let bucket = "crate-tls-\(UInt32.random(in: 0...UInt32.max))"
        try await S3Client(
            endpoint: try MotoServer.tlsEndpoint(), region: "us-east-1", bucket: bucket, addressing: .path,
            credentials: S3Credentials(accessKeyId: "crate-test", secretAccessKey: "crate-test-secret"),
            caBundle: try MotoServer.caBundle()
        ).createBucket()
        return try await crate.run(
            [
                "profile", "add", name, "--s3", "s3://\(bucket)/music", "--endpoint", try MotoServer.tlsEndpoint(),
                "--path-style", "--chunked", "--chunk-size", "256KiB",
            ] + extra)
    }

    @Test func aProfilesCABundleOrAWSCABundleIsTrustedAndNeitherIsExplained() async throws {
        var crate = try CrateProcess()
        defer { crate.removeHome() }
        crate.environment.removeValue(forKey: "AWS_CA_BUNDLE")
        let ca = try MotoServer.caBundle()

        // Untrusted: a clear message naming the host and what to set, and nothing recorded.
        let refused = try await addProfile(crate, "plain")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("the TLS certificate of 127.0.0.1:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("is not trusted (certificate verify failed)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--ca-bundle FILE or AWS_CA_BUNDLE=FILE"), "\(refused.stderr)")
        #expect(!(try await crate.run(["profile", "list"]).stdout.contains("plain")))

        // Trusted through the profile's own setting.
        let added = try await addProfile(crate, "vault", extra: ["--ca-bundle", ca])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try await crate.run(["profile", "show", "vault"]).stdout.contains(ca))
        let imported = try await crate.run(["import", Self.album, "--profile", "vault"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let verify = try await crate.run(["verify", "--all"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")

        // Trusted through AWS_CA_BUNDLE, as the aws CLI would be.
        var withEnvironment = crate
        withEnvironment.environment["AWS_CA_BUNDLE"] = ca
        let second = try await addProfile(withEnvironment, "cloud")
        #expect(second.status == 0, "\(second.stderr)")
        let copied = try await withEnvironment.run(["copy", String(try releaseId(crate)), "--to", "cloud"])
        #expect(copied.status == 0, "\(copied.stderr)")
        let both = try await withEnvironment.run(["verify", "--all"])
        #expect(both.status == 0, "\(both.stdout) \(both.stderr)")

        // A CA bundle that is not one is named.
        let bad = try await crate.run([
            "profile", "add", "x", "--s3", "s3://b/p", "--endpoint", "https://127.0.0.1:1",
            "--ca-bundle", "/nonexistent/ca.pem",
        ])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--ca-bundle /nonexistent/ca.pem: cannot read it"), "\(bad.stderr)")
    }

    func releaseId(_ crate: CrateProcess) async throws -> String {
        let list = try await crate.run(["releases", "--json"])
        let releases = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        return try #require(releases.first?["id"] as? String)
    }
}
