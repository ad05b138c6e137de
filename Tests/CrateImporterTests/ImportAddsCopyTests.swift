import CrateCatalog
import CrateImporter
import CrateStorage
import Foundation
import Testing

/// One release, many copies: importing files the catalog already has from another profile
/// adds a copy to that release instead of making a second, identical one.
@Suite struct ImportAddsCopyTests {
    @Test func theSameFolderOnASecondProfileBecomesASecondCopy() async throws {
        let harness = try ImportHarness()
        try await harness.addProfile("home", chunked: true, makeDefault: true)
        try await harness.addProfile("vault", encrypted: true)
        let (first, _) = try await harness.importFolder(Fixtures.album, profile: "home")
        let id = try #require(first.releaseId)
        let (second, events) = try await harness.importFolder(Fixtures.album, profile: "vault", verify: true)
        #expect(second == .committed(releaseId: id))
        let plan = events.compactMap { event -> ImportPlan? in
            if case .planned(_, let plan) = event { plan } else { nil }
        }.first
        #expect(plan?.addsCopyOf?.id == id)
        #expect(plan?.addsCopyOf?.profiles == ["home"])
        #expect(plan?.duplicateOf == nil)
        let releases = try harness.catalog.releases()
        #expect(releases.count == 1)
        #expect(releases.first?.profiles == ["home", "vault"])
        // The new copy reads back whole and checks out, as the first one does.
        let source = try ImportHarness.hashes(of: Fixtures.album)
        #expect(try await harness.exportHashes(release: id, profile: "vault") == source)
        let reports = try await ReleaseVerifier(catalog: harness.catalog, opener: harness.opener).verify(release: id)
        #expect(reports.map(\.profile).sorted() == ["home", "vault"])
        #expect(reports.allSatisfy { $0.isSound })
        // A third import into either profile is a duplicate: nothing more is stored.
        let (third, _) = try await harness.importFolder(Fixtures.album, profile: "vault")
        #expect(third == .duplicate(releaseId: id))
        // Removing one copy keeps the release and its other copy.
        _ = try await ReleaseRemover(catalog: harness.catalog, opener: harness.opener).remove(
            release: id, profileName: "vault")
        #expect(try harness.catalog.releases().map(\.profiles) == [["home"]])
        #expect(try await harness.exportHashes(release: id, profile: "home") == source)
    }

    /// A copy-adding import that is cancelled leaves the release and its first copy alone and
    /// takes its own manifest with it.
    @Test func aCancelledCopyLeavesTheReleaseAsItWas() async throws {
        let harness = try ImportHarness()
        try await harness.addProfile("home", chunked: true, makeDefault: true)
        let other = try await harness.addProfile("other", chunked: true)
        let (first, _) = try await harness.importFolder(Fixtures.album, profile: "home")
        let id = try #require(first.releaseId)
        let job = try harness.importer.prepare(source: Fixtures.album, profileName: "other")
        // Cancelled as the manifest is stored: the verify stage that follows sees it.
        let outcome = await harness.importer.run(jobId: job.id, verify: true) { event in
            if case .stage(_, .commit) = event { withUnsafeCurrentTask { $0?.cancel() } }
        }
        #expect(outcome == .cancelled)
        #expect(try harness.catalog.releases().map(\.profiles) == [["home"]])
        let stack = try await harness.opener.open(other)
        await #expect(throws: (any Error).self) {
            _ = try await stack.store.getAll(ObjectNaming.manifestKey(releaseID: id))
        }
        #expect(
            try await harness.exportHashes(release: id, profile: "home")
                == (try ImportHarness.hashes(of: Fixtures.album)))
    }
}
