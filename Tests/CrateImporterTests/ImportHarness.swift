import CrateCatalog
import CrateCore
import CrateImporter
import CrateS3
import CrateStorage
import CrateTestSupport
import Crypto
import Foundation

/// A catalog in memory, profiles on a temporary folder or a moto bucket, and helpers to import
/// and read back: what the integration tests share.
struct ImportHarness {
    static let passphrase = "correct horse battery staple"
    static let s3Credentials = S3Credentials(accessKeyId: "crate-test", secretAccessKey: "crate-test-secret")

    let catalog: Catalog
    let scratch: TemporaryDirectory
    var opener = ProfileOpener(passphrase: { _ in ImportHarness.passphrase }, s3Credentials: s3Credentials)

    init() throws {
        catalog = try Catalog.inMemory()
        scratch = try TemporaryDirectory()
    }

    var importer: Importer { Importer(catalog: catalog, opener: opener) }

    /// Creates a profile of the given kind; S3 profiles get a fresh bucket on moto, local ones
    /// a folder under the scratch folder unless `folder` names one.
    @discardableResult
    func addProfile(
        _ name: String, s3: Bool = false, encrypted: Bool = false, chunked: Bool = false, chunkSize: Int? = nil,
        makeDefault: Bool = false, folder: String? = nil
    ) async throws -> StorageProfileRecord {
        let location: ProfileLocation
        if s3 {
            let endpoint = try MotoServer.endpoint()
            let bucket = "crate-imp-\(UInt32.random(in: 0...UInt32.max))"
            let client = try S3Client(
                endpoint: endpoint, region: "us-east-1", bucket: bucket, addressing: .path,
                credentials: Self.s3Credentials)
            try await client.createBucket()
            location = .s3(
                S3Location(endpoint: endpoint, region: "us-east-1", bucket: bucket, prefix: "crate", addressing: .path))
        } else {
            location = .local(path: folder ?? scratch.path + "/profiles/" + name)
        }
        let spec = ProfileSpec(
            name: name, location: location, encrypted: encrypted, chunked: chunked,
            chunkSize: chunked ? (chunkSize ?? 256 << 10) : nil)
        let setup = ProfileSetup(catalog: catalog, opener: opener, scrypt: { .forTesting() })
        switch try await setup.create(
            spec, makeDefault: makeDefault, newPassphrase: { Self.passphrase }, existingPassphrase: { Self.passphrase })
        {
        case .created(let record), .attached(let record, _, _): return record
        }
    }

    /// Imports `source` and returns the outcome with every event seen.
    func importFolder(
        _ source: String, profile: String?, verify: Bool = false,
        onEvent: @escaping @Sendable (ImportEvent) async -> Void = { _ in }
    ) async throws -> (ImportOutcome, [ImportEvent]) {
        let job = try importer.prepare(source: source, profileName: profile)
        let events = EventLog()
        let outcome = await importer.run(jobId: job.id, verify: verify) { event in
            await events.append(event)
            await onEvent(event)
        }
        return (outcome, await events.all)
    }

    /// Exports a release from a profile and returns path → SHA-256 of what came back.
    func exportHashes(release id: String, profile: String) async throws -> [String: String] {
        let target = scratch.path + "/export-\(UUID().uuidString)"
        let (storage, _) = try await ReleaseCopies(catalog: catalog, opener: opener).open(
            release: id, profileName: profile)
        try await ReleaseExporter.export(storage, to: target)
        return try Self.hashes(of: target)
    }

    /// path → SHA-256 of every regular file under `folder`.
    static func hashes(of folder: String) throws -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isDirectory),
                !isDirectory.boolValue
            else { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + relative))
            result[relative] = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        }
        return result
    }
}

actor EventLog {
    private(set) var all: [ImportEvent] = []
    func append(_ event: ImportEvent) { all.append(event) }
}

extension ImportOutcome {
    var releaseId: String? {
        if case .committed(let id) = self { return id }
        return nil
    }
}

/// Deterministic pseudo-random bytes (xorshift), so large test files need no fixture.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    var bytes = [UInt8](repeating: 0, count: count)
    for index in 0..<count {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        bytes[index] = UInt8(truncatingIfNeeded: state)
    }
    return bytes
}
