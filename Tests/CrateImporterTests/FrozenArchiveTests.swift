import CrateCatalog
import CrateCore
import CrateImporter
import CrateStorage
import Foundation
import Testing

/// Archives written by Crate's first storage format (v1), frozen in `Tests/Fixtures/frozen-v1`:
/// one local profile folder per combination, made once by `freeze()` and never again. Every
/// build must read them back byte for byte, so a change that breaks them is a format change
/// (docs/storage-format.md, "Frozen archives"), not a refactoring.
@Suite struct FrozenArchiveTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/frozen-v1").path
    static let passphrase = "frozen archive passphrase v1"
    static let combinations = ["plain-whole", "plain-chunked", "sealed-whole", "sealed-chunked"]

    /// What each archive must give back: the release and its files' SHA-256s.
    struct Expected: Codable, Equatable {
        var artist: String
        var title: String
        var year: Int?
        var files: [String: String]
    }

    @Test(arguments: combinations)
    func aFrozenArchiveReadsBackByteForByte(_ combination: String) async throws {
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: URL(fileURLWithPath: Self.root + "/expected.json")))
        // Reading takes store locks (objects in the profile folder): work on a copy.
        let scratch = try TemporaryDirectory()
        let folder = scratch.path + "/" + combination
        try FileManager.default.copyItem(atPath: Self.root + "/" + combination, toPath: folder)
        let catalog = try Catalog.inMemory()
        let opener = ProfileOpener(passphrase: { _ in Self.passphrase })
        // Asked for plain whole files: the folder's own descriptor decides what it is.
        let setup = ProfileSetup(catalog: catalog, opener: opener)
        let result = try await setup.create(
            ProfileSpec(name: "frozen", location: .local(path: folder), encrypted: false, chunked: false),
            makeDefault: true, newPassphrase: { Self.passphrase }, existingPassphrase: { Self.passphrase })
        guard case .attached(let profile, _, _) = result else {
            Issue.record("the archive was not recognised as a profile: \(result)")
            return
        }
        #expect(profile.encrypted == combination.hasPrefix("sealed"))
        #expect(profile.chunked == combination.hasSuffix("chunked"))

        let report = try await CatalogRecovery(catalog: catalog, opener: opener).recover(profileName: "frozen")
        #expect(report.refused.isEmpty, "\(report.refused)")
        let id = try #require(report.recovered.first)
        #expect(report.recovered.count == 1)
        let release = try catalog.release(id).release
        #expect(release.artist == expected.artist && release.title == expected.title && release.year == expected.year)

        let (storage, _) = try await ReleaseCopies(catalog: catalog, opener: opener).open(release: id)
        let export = scratch.path + "/export"
        try await ReleaseExporter.export(storage, to: export)
        #expect(try ImportHarness.hashes(of: export) == expected.files)
        let verified = try await ReleaseVerifier(catalog: catalog, opener: opener).verify(release: id)
        #expect(verified.allSatisfy { $0.isSound }, "\(verified)")
    }

    /// Writes the frozen archives, once (`FREEZE_V1_ARCHIVES=1`, into an empty
    /// `Tests/Fixtures/frozen-v1`). Kept for the record of how they were made; it refuses to
    /// overwrite what is there.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FREEZE_V1_ARCHIVES"] == "1"))
    func freeze() async throws {
        #expect(!FileManager.default.fileExists(atPath: Self.root + "/expected.json"), "already frozen")
        guard !FileManager.default.fileExists(atPath: Self.root + "/expected.json") else { return }
        let scratch = try TemporaryDirectory()
        // The fixture album (real FLAC and MP3 tags, a cue sheet, scans), plus a file that spans
        // two 256 KiB chunks and an empty file.
        let source = scratch.path + "/Frozen Artist - Format One (2026)"
        try FileManager.default.copyItem(atPath: Fixtures.album, toPath: source)
        try FileManager.default.createDirectory(atPath: source + "/Extras", withIntermediateDirectories: true)
        let long = (0..<300_000).map { UInt8(truncatingIfNeeded: ($0 * 31 + $0 / 977) % 251) }
        try Data(long).write(to: URL(fileURLWithPath: source + "/Extras/long take.bin"))
        try Data().write(to: URL(fileURLWithPath: source + "/Extras/empty.txt"))

        var harness = try ImportHarness()
        harness.opener = ProfileOpener(passphrase: { _ in Self.passphrase })
        var expected: Expected?
        for combination in Self.combinations {
            let folder = Self.root + "/" + combination
            let spec = ProfileSpec(
                name: combination, location: .local(path: folder), encrypted: combination.hasPrefix("sealed"),
                chunked: combination.hasSuffix("chunked"), chunkSize: combination.hasSuffix("chunked") ? 256 << 10 : nil
            )
            _ = try await ProfileSetup(catalog: harness.catalog, opener: harness.opener, scrypt: { .forTesting() })
                .create(
                    spec, makeDefault: false, newPassphrase: { Self.passphrase },
                    existingPassphrase: { Self.passphrase })
            let (outcome, _) = try await harness.importFolder(source, profile: combination)
            let id = try #require(outcome.releaseId)
            let release = try harness.catalog.release(id).release
            expected = Expected(
                artist: release.artist, title: release.title, year: release.year,
                files: try ImportHarness.hashes(of: source))
            // Lock objects come and go; the archive is the profile without them.
            try? FileManager.default.removeItem(atPath: folder + "/locks")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try (encoder.encode(expected) + Data("\n".utf8)).write(
            to: URL(fileURLWithPath: Self.root + "/expected.json"))
    }
}
