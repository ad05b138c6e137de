import CrateCatalog
import CrateImporter
import CrateStorage
import Foundation
import Testing

/// What goes wrong in an import, and that nothing stored is ever lost or left half-visible.
@Suite struct ImportFailureTests {
    @Test func withoutADefaultProfileTheMessageListsTheProfiles() async throws {
        let harness = try ImportHarness()
        let none = #expect(throws: ImportSetupError.self) {
            try harness.importer.prepare(source: Fixtures.album, profileName: nil)
        }
        #expect(none?.description.contains("there are no storage profiles yet") == true)
        try await harness.addProfile("home")
        try harness.catalog.clearDefaultProfile()
        let error = #expect(throws: ImportSetupError.self) {
            try harness.importer.prepare(source: Fixtures.album, profileName: nil)
        }
        #expect(error?.description.contains("profiles: home") == true)
        #expect(error?.description.contains("crate profile default NAME") == true)
    }

    @Test func anUnknownProfileIsNamed() async throws {
        let harness = try ImportHarness()
        try await harness.addProfile("home")
        #expect(throws: CatalogError.unknownProfile("nas", known: ["home"])) {
            try harness.importer.prepare(source: Fixtures.album, profileName: "nas")
        }
        #expect(try harness.catalog.jobs().isEmpty)
    }

    @Test func aMissingPathAFileAndAnEmptyFolderRecordNoJob() async throws {
        let harness = try ImportHarness()
        try await harness.addProfile("home")
        let missing = harness.scratch.path + "/nowhere"
        #expect(throws: ImportError.missingSource(missing)) {
            try harness.importer.prepare(source: missing, profileName: nil)
        }
        try FileManager.default.createDirectory(
            atPath: harness.scratch.path + "/empty", withIntermediateDirectories: true)
        #expect(throws: ImportError.emptySource(harness.scratch.path + "/empty")) {
            try harness.importer.prepare(source: harness.scratch.path + "/empty", profileName: nil)
        }
        #expect(try harness.catalog.jobs().isEmpty)
    }

    @Test func aDuplicateReleaseIsNotStoredTwice() async throws {
        let harness = try ImportHarness()
        try await harness.addProfile("home", chunked: true)
        let (first, _) = try await harness.importFolder(Fixtures.album, profile: nil)
        let id = try #require(first.releaseId)
        let (second, events) = try await harness.importFolder(Fixtures.album, profile: nil)
        #expect(second == .duplicate(releaseId: id))
        #expect(!events.contains { if case .object = $0 { true } else { false } })
        #expect(try harness.catalog.releases().count == 1)
        // The same album on another profile is a second copy, not a duplicate.
        try await harness.addProfile("other")
        let (third, _) = try await harness.importFolder(Fixtures.album, profile: "other")
        #expect(third.releaseId != nil)
    }

    @Test func aFileChangingDuringImportFailsTheJobNamingTheFile() async throws {
        let harness = try ImportHarness()
        try await harness.addProfile("home")
        let album = harness.scratch.path + "/Growing - Album (2020)"
        try FileManager.default.createDirectory(atPath: album, withIntermediateDirectories: true)
        let growing = album + "/01 - long.wav"
        try Data(pseudoRandomBytes(3 << 20, seed: 7)).write(to: URL(fileURLWithPath: growing))
        let grown = Flag()
        let (outcome, _) = try await harness.importFolder(album, profile: "home") { event in
            // The file grows as its put begins, before or while the store takes its bytes.
            if case .transfer(_, _, .started) = event, await grown.setOnce() {
                let handle = FileHandle(forWritingAtPath: growing)!
                handle.seekToEndOfFile()
                handle.write(Data(repeating: 1, count: 4096))
                try? handle.close()
            }
        }
        #expect(outcome == .failed(message: ImportError.sourceChanged(growing).description))
        #expect(try harness.catalog.releases().isEmpty)
        #expect(try harness.catalog.jobs().first?.state == .failed)
    }

    @Test func cancellingLeavesNothingVisibleAndNoOrphan() async throws {
        let harness = try ImportHarness()
        let profile = try await harness.addProfile("home", encrypted: true, chunked: true, chunkSize: 256 << 10)
        let album = harness.scratch.path + "/Big - Album (2021)"
        try FileManager.default.createDirectory(atPath: album, withIntermediateDirectories: true)
        for index in 0..<4 {
            try Data(pseudoRandomBytes(1 << 20, seed: UInt64(index))).write(
                to: URL(fileURLWithPath: album + "/0\(index).wav"))
        }
        let job = try harness.importer.prepare(source: album, profileName: "home")
        // Cancel from inside the job's own task once the first object is stored: what a
        // cancelled Task looks like to the importer, without racing the clock.
        let outcome = await harness.importer.run(jobId: job.id) { event in
            if case .object = event { withUnsafeCurrentTask { $0?.cancel() } }
        }
        #expect(outcome == .cancelled)
        #expect(try harness.catalog.releases().isEmpty)
        #expect(try harness.catalog.job(job.id)?.state == .cancelled)
        let stack = try await harness.opener.open(profile)
        let left = try await stack.store.list(prefix: "").map(\.key)
        #expect(left == ["crate-profile.json"], "orphans: \(left)")
    }
}

/// A flag tasks can set once and read.
actor Flag {
    private(set) var isSet = false

    /// Sets the flag; true for the first caller only.
    func setOnce() -> Bool {
        defer { isSet = true }
        return !isSet
    }
}
