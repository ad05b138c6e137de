import CrateCatalog
import CrateCore
import CrateImporter
import CrateStorage
import Foundation
import Testing

/// Attaching to a `crate-profile.json` someone else wrote: key-derivation parameters beyond
/// the bounds are refused before any derivation and nothing enters the catalog; weak ones are
/// accepted with a warning that says how to strengthen them.
@Suite struct HostileProfileTests {
    private func plantProfile(_ folder: String, scrypt: ScryptParameters, sealed: [UInt8]? = nil) async throws {
        let wrapped: WrappedKey
        if let sealed {
            wrapped = WrappedKey(scrypt: scrypt, sealed: sealed, keyID: String(repeating: "0", count: 32))
        } else {
            (_, wrapped) = try ProfileKeys.create(
                passphrase: ImportHarness.passphrase, profileName: "planted", params: scrypt)
        }
        try await ProfileDescriptor(
            encrypted: true, chunked: false, chunkSize: nil, wrappedKey: wrapped, created: Date()
        )
        .write(to: LocalDirectoryStore(root: folder))
    }

    @Test func unboundedParametersAreRefusedBeforeDeriving() async throws {
        let harness = try ImportHarness()
        let folder = harness.scratch.path + "/hostile"
        try await plantProfile(
            folder, scrypt: ScryptParameters(n: 1 << 22, r: 24, p: 1, salt: [UInt8](repeating: 1, count: 16)),
            sealed: [UInt8](repeating: 0, count: 60))
        let error = await #expect(throws: StorageError.self) {
            try await harness.addProfile("hostile", encrypted: true, folder: folder)
        }
        #expect(error?.description.contains("outside what Crate accepts") == true)
        #expect(try harness.catalog.profiles().isEmpty, "nothing entered the catalog")
    }

    @Test func weakParametersAttachWithAWarning() async throws {
        let harness = try ImportHarness()
        let folder = harness.scratch.path + "/weak"
        try await plantProfile(
            folder, scrypt: ScryptParameters(n: 2, r: 1, p: 1, salt: [UInt8](repeating: 2, count: 16)))
        let setup = ProfileSetup(catalog: harness.catalog, opener: harness.opener)
        let result = try await setup.create(
            ProfileSpec(name: "weak", location: .local(path: folder), encrypted: true, chunked: false, chunkSize: nil),
            makeDefault: true, newPassphrase: { ImportHarness.passphrase },
            existingPassphrase: { ImportHarness.passphrase })
        guard case .attached(_, _, let warnings) = result else {
            Issue.record("expected an attach")
            return
        }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("N=2 r=1 p=1") == true)
        #expect(warnings.first?.contains("crate profile passwd weak") == true)
    }
}

/// Two imports of one folder into one profile, run at once, commit one release: the second to
/// reach the catalog ends as a duplicate and leaves no second manifest behind.
@Suite struct ConcurrentDuplicateImportTests {
    @Test(arguments: [false, true])
    func twoImportsOfOneFolderCommitOnce(chunked: Bool) async throws {
        let harness = try ImportHarness()
        try await harness.addProfile("vault", chunked: chunked, makeDefault: true)
        let first = try harness.importer.prepare(source: Fixtures.album, profileName: nil)
        let second = try harness.importer.prepare(source: Fixtures.album, profileName: nil)
        let importer = harness.importer
        async let a = importer.run(jobId: first.id) { _ in }
        async let b = importer.run(jobId: second.id) { _ in }
        let outcomes = await [a, b]
        let committed = outcomes.compactMap(\.releaseId)
        #expect(committed.count == 1, "\(outcomes)")
        #expect(
            outcomes.contains {
                if case .duplicate(let id) = $0 { return id == committed.first }
                return false
            }, "\(outcomes)")
        #expect(try harness.catalog.releases().count == 1)
        let manifests = try await LocalDirectoryStore(root: harness.scratch.path + "/profiles/vault")
            .list(prefix: "manifests/")
        #expect(manifests.map(\.key) == committed.map { "manifests/" + $0 })
    }
}
