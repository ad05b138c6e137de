import CrateCatalog
import CrateCore
import CrateS3
import CrateStorage
import CrateTestSupport
import Foundation

@testable import CrateImporter

/// A catalog in memory, profiles on local folders or moto buckets, and imports of test
/// folders: what the release-operation tests share.
final class OperationsHarness: @unchecked Sendable {
    static let passphrase = "correct horse battery staple"
    static let credentials = S3Credentials(accessKeyId: "crate-test", secretAccessKey: "crate-test-secret")

    let catalog: Catalog
    let scratch: TemporaryDirectory
    var passphrase = OperationsHarness.passphrase

    init() throws {
        catalog = try Catalog.inMemory()
        scratch = try TemporaryDirectory()
    }

    var opener: ProfileOpener {
        let passphrase = passphrase
        return ProfileOpener(passphrase: { _ in passphrase }, s3Credentials: Self.credentials)
    }

    /// Where a profile lives: a local folder, or a fresh moto bucket when `s3` (the test is
    /// skipped by the caller when moto is not configured).
    func location(_ name: String, s3: Bool) async throws -> ProfileLocation {
        guard s3 else { return .local(path: scratch.path + "/store-" + name) }
        guard let endpoint = Self.motoEndpoint else { throw MotoMissing() }
        let bucket = "crate-ops-\(UInt32.random(in: 0...UInt32.max))"
        let client = try S3Client(
            endpoint: endpoint, region: "us-east-1", bucket: bucket, addressing: .path, credentials: Self.credentials)
        try await client.createBucket()
        return .s3(S3Location(endpoint: endpoint, region: "us-east-1", bucket: bucket, prefix: name, addressing: .path))
    }

    static var motoEndpoint: String? {
        ProcessInfo.processInfo.environment["CRATE_TEST_S3_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
    }

    struct MotoMissing: Error, CustomStringConvertible {
        var description: String { "CRATE_TEST_S3_ENDPOINT is not set; run scripts/test" }
    }

    @discardableResult
    func addProfile(
        _ name: String, s3: Bool = false, encrypted: Bool = false, chunked: Bool = false, chunkSize: Int = 256 << 10
    ) async throws -> StorageProfileRecord {
        let spec = ProfileSpec(
            name: name, location: try await location(name, s3: s3), encrypted: encrypted, chunked: chunked,
            chunkSize: chunked ? chunkSize : nil)
        let passphrase = passphrase
        let result = try await ProfileSetup(catalog: catalog, opener: opener, scrypt: { .forTesting() })
            .create(spec, makeDefault: false, newPassphrase: { passphrase }, existingPassphrase: { passphrase })
        guard case .created(let record) = result else { throw TestError("profile \(name) attached, not created") }
        return record
    }

    /// Imports `folder` into the profile; returns the release id.
    func importRelease(_ folder: String, into profile: String) async throws -> String {
        let importer = Importer(catalog: catalog, opener: opener)
        let job = try importer.prepare(source: folder, profileName: profile)
        let outcome = await importer.run(jobId: job.id) { _ in }
        guard case .committed(let id) = outcome else { throw TestError("import ended \(outcome)") }
        return id
    }

    /// A release folder of deterministic files (path → size, seed).
    func makeFolder(_ name: String, files: [(String, Int, UInt64)]) throws -> String {
        let folder = scratch.path + "/sources/" + name
        for (path, size, seed) in files {
            let full = folder + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(Self.bytes(count: size, seed: seed)).write(to: URL(fileURLWithPath: full))
        }
        return folder
    }

    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        TestBytes.random(count, seed: seed)
    }

    func store(_ profile: String) throws -> any ObjectStore {
        try opener.baseStore(for: try catalog.profile(named: profile).location)
    }

    /// Every file of the release exported from `profile` into a new folder, by path.
    func exported(_ releaseId: String, from profile: String) async throws -> [String: Data] {
        let (storage, _) = try await ReleaseCopies(catalog: catalog, opener: opener)
            .open(release: releaseId, profileName: profile)
        let target = scratch.path + "/export-" + UUID().uuidString
        try await ReleaseExporter.export(storage, to: target)
        return try Self.contents(of: target)
    }

    static func contents(of folder: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { result[path] = FileManager.default.contents(atPath: folder + "/" + path) }
        }
        return result
    }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
