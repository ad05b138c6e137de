import CrateS3
import CrateStorage
import Foundation
import Testing

/// After imports onto sealed profiles (local and S3), no secret — the passphrase, the data
/// key, the S3 secret key — appears in the catalog, its WAL, the store's objects (manifests,
/// crate-profile.json, chunks) or anywhere under CRATE_HOME; nothing takes a secret as an
/// argument; key files and the catalog are private.
@Suite struct SecretsTests {
    @Test func noSecretLandsAnywhere() async throws {
        var crate = try CrateProcess()
        defer { crate.removeHome() }
        let passphrase = "pass-\(UUID().uuidString)"
        let s3Secret = "aws-secret-\(UUID().uuidString)"
        crate.environment["CRATE_PASSPHRASE"] = passphrase
        crate.environment["AWS_ACCESS_KEY_ID"] = "crate-secrets-test"
        crate.environment["AWS_SECRET_ACCESS_KEY"] = s3Secret
        let bucket = try await MotoBucket.create("secrets")
        let endpoint = try MotoBucket.endpoint()

        let local = crate.home + "/vault"
        for arguments in [
            ["profile", "add", "vault", "--local", local, "--encrypted", "--chunked"],
            [
                "profile", "add", "cloud", "--s3", "s3://\(bucket)/c", "--endpoint", endpoint, "--path-style",
                "--encrypted",
            ],
        ] {
            let result = try await crate.run(arguments)
            #expect(result.status == 0, "\(result.stderr)")
        }
        for profile in ["vault", "cloud"] {
            let result = try await crate.run(["import", "--profile", profile, Fixtures.album])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.contains(passphrase) && !result.stderr.contains(s3Secret))
        }
        // A failing command's message carries no secret either.
        let wrong = try await crate.run(["cat", "nonexistent", "x"])
        #expect(!wrong.stderr.contains(passphrase))

        var needles: [(String, [UInt8])] = [
            ("passphrase", Array(passphrase.utf8)), ("S3 secret", Array(s3Secret.utf8)),
        ]
        for profile in ["vault", "cloud"] {
            let code = try await crate.run(["profile", "recovery-code", profile]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let key = try DataKey(recoveryCode: code).bytes
            needles.append(("\(profile) data key", key))
            needles.append(("\(profile) data key (hex)", Array(key.map { String(format: "%02x", $0) }.joined().utf8)))
            needles.append(("\(profile) data key (base64)", Array(Data(key).base64EncodedString().utf8)))
            needles.append(("\(profile) recovery code", Array(code.utf8)))
        }

        var haystacks: [(String, [UInt8])] = []
        for root in [crate.home] {
            let files = FileManager.default.enumerator(atPath: root)
            while let relative = files?.nextObject() as? String {
                let path = root + "/" + relative
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
                else { continue }
                haystacks.append((relative, [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))))
            }
        }
        #expect(haystacks.contains { $0.0.hasSuffix("catalog.sqlite") })
        #expect(haystacks.contains { $0.0.hasPrefix("vault/manifests/") })
        let client = try S3Client(
            endpoint: endpoint, region: "us-east-1", bucket: bucket, addressing: .path,
            credentials: S3Credentials(accessKeyId: "crate-test", secretAccessKey: "crate-test-secret"))
        for object in try await client.listAllObjects(prefix: "") {
            haystacks.append(("s3:" + object.key, try await S3Store(client: client).getAll(object.key)))
        }
        #expect(haystacks.contains { $0.0.hasPrefix("s3:c/manifests/") })
        for (name, needle) in needles {
            for (file, bytes) in haystacks where bytes.contains(needle) {
                Issue.record("\(name) found in \(file)")
            }
        }

        // Private files: the catalog and each key file are mode 0600.
        for path in [crate.home + "/catalog.sqlite", local + "/crate-profile.json"] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path) has mode \(String(mode ?? 0, radix: 8))")
        }
        // There is no way to hand a secret over as an argument.
        let argv = try await crate.run(["import", "--passphrase", passphrase, Fixtures.album])
        #expect(argv.status != 0)
        #expect(argv.stderr.contains("Unknown option"))
    }
}

extension Array where Element == UInt8 {
    func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        let first = needle[0]
        var index = 0
        while let start = self[index...].firstIndex(of: first) {
            if start + needle.count > count { return false }
            if self[start..<start + needle.count].elementsEqual(needle) { return true }
            index = start + 1
        }
        return false
    }
}

enum Fixtures {
    static let album = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/album/Björk Guðmundsdóttir - Tōkyō Sessions (2004)").path
}
