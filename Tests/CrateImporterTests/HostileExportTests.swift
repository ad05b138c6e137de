import CrateImporter
import CrateStorage
import CrateTestSupport
import Foundation
import Testing

/// Export into a folder someone prepared: links planted below DIR are reported and never
/// followed, nothing outside DIR changes, and a release whose file names look like temporary
/// names exports exactly.
@Suite struct HostileExportTests {
    let harness: ImportHarness
    let outside: String
    let releaseId: String

    init() async throws {
        harness = try ImportHarness()
        let source = harness.scratch.path + "/Album"
        try FileManager.default.createDirectory(atPath: source + "/sub", withIntermediateDirectories: true)
        for (name, seed) in [
            ("01.wav", 1), ("cover.jpg", 2), ("a.bin", 3), ("a.bin.crate-partial", 4), ("sub/b.bin", 5),
            (".crate-export-x", 6),
        ] {
            try Data(pseudoRandomBytes(100_000 + seed, seed: UInt64(seed)))
                .write(to: URL(fileURLWithPath: source + "/" + name))
        }
        outside = harness.scratch.path + "/outside"
        try FileManager.default.createDirectory(atPath: outside + "/sub", withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: URL(fileURLWithPath: outside + "/file"))
        try await harness.addProfile("vault", makeDefault: true)
        let (outcome, _) = try await harness.importFolder(source, profile: nil)
        releaseId = try #require(outcome.releaseId)
    }

    private func export(to target: String) async throws {
        let (storage, _) = try await ReleaseCopies(catalog: harness.catalog, opener: harness.opener).open(
            release: releaseId, profileName: "vault")
        try await ReleaseExporter.export(storage, to: target)
    }

    private func expectRefused(_ target: String, naming path: String) async {
        do {
            try await export(to: target)
            Issue.record("export into \(target) succeeded")
        } catch let error as StorageError {
            guard case .unexpectedEntry(let found, "symbolic link", nil) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(found == path)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aLinkedSubfolderIsRefusedBeforeAnythingIsWritten() async throws {
        let target = harness.scratch.path + "/dest"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: target + "/sub", withDestinationPath: outside + "/sub")
        let before = try folderSnapshot(outside)
        await expectRefused(target, naming: target + "/sub")
        #expect(try folderSnapshot(outside) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["sub"], "nothing written")
    }

    @Test func aLinkWhereAFileGoesIsNeverWrittenThrough() async throws {
        let target = harness.scratch.path + "/dest"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: target + "/cover.jpg", withDestinationPath: outside + "/file")
        let before = try folderSnapshot(outside)
        await #expect(throws: ReleaseCopies.ReadError.self) { try await export(to: target) }
        #expect(try folderSnapshot(outside) == before)
    }

    @Test func plantedTemporaryNamesAreIgnored() async throws {
        let target = harness.scratch.path + "/dest"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for name in ["cover.jpg.crate-partial", "01.wav.crate-partial"] {
            try FileManager.default.createSymbolicLink(
                atPath: target + "/" + name, withDestinationPath: outside + "/file")
        }
        let before = try folderSnapshot(outside)
        try await export(to: target)
        #expect(try folderSnapshot(outside) == before)
        var exported = try ImportHarness.hashes(of: target)
        exported["cover.jpg.crate-partial"] = nil
        exported["01.wav.crate-partial"] = nil
        #expect(exported == (try ImportHarness.hashes(of: harness.scratch.path + "/Album")))
    }

    @Test func filesNamedLikeTemporaryFilesExportExactly() async throws {
        let source = try ImportHarness.hashes(of: harness.scratch.path + "/Album")
        for round in 0..<10 {
            let target = harness.scratch.path + "/round-\(round)"
            try await export(to: target)
            #expect(try ImportHarness.hashes(of: target) == source, "round \(round)")
        }
    }

    @Test func aMissingManifestAloneDoesNotStopAnExport() async throws {
        let store = LocalDirectoryStore(root: harness.scratch.path + "/profiles/vault")
        let key = ObjectNaming.manifestKey(releaseID: releaseId)
        #expect(try await store.head(key) != nil)
        try await store.delete(key)
        let target = harness.scratch.path + "/without-manifest"
        try await export(to: target)
        #expect(try ImportHarness.hashes(of: target) == (try ImportHarness.hashes(of: harness.scratch.path + "/Album")))
    }
}
