import CrateCatalog
import CrateStorage
import Foundation
import Testing

@testable import CrateImporter

@Suite struct ReleaseCopierTests {
    @Test func copiesPlainLocalToSealedChunkedS3AndBackByteForByte() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("home")
        try await harness.addProfile("cloud", s3: true, encrypted: true, chunked: true)
        try await harness.addProfile("back", chunked: true)
        let id = try await harness.importRelease(Fixtures.album, into: "home")
        let original = try OperationsHarness.contents(of: Fixtures.album)
        let copier = ReleaseCopier(catalog: harness.catalog, opener: harness.opener)

        let up = try await copier.copy(release: id, to: "cloud")
        #expect(up.source == "home" && up.destination == "cloud")
        #expect(up.objectsStored == 1)  // the whole album fits one 256 KiB chunk
        #expect(try harness.catalog.release(id).profiles == ["cloud", "home"])
        #expect(try await harness.exported(id, from: "cloud") == original)

        let down = try await copier.copy(release: id, to: "back", from: "cloud", move: true)
        #expect(down.removal?.copies.map(\.profile) == ["cloud"])
        #expect(try harness.catalog.release(id).profiles == ["back", "home"])
        #expect(try await harness.exported(id, from: "back") == original)
        #expect(try await harness.store("cloud").list(prefix: "objects/").isEmpty)
        #expect(try await harness.store("cloud").list(prefix: "manifests/").isEmpty)
        let reports = try await ReleaseVerifier(catalog: harness.catalog, opener: harness.opener).verify(release: id)
        #expect(reports.count == 2 && reports.allSatisfy { $0.isSound }, "\(reports)")
    }

    @Test func refusesACopyOntoAProfileThatHasOne() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("home")
        let id = try await harness.importRelease(Fixtures.album, into: "home")
        await #expect(throws: ReleaseCopier.CopyError.self) {
            try await ReleaseCopier(catalog: harness.catalog, opener: harness.opener).copy(release: id, to: "home")
        }
    }

    @Test func anInterruptedCopyResumesSkippingWhatIsStored() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("home", chunked: true)
        try await harness.addProfile("vault", encrypted: true)
        let id = try await harness.importRelease(Fixtures.album, into: "home")
        let copier = ReleaseCopier(catalog: harness.catalog, opener: harness.opener)
        let first = Task {
            try await copier.copy(release: id, to: "vault") { event in
                if case .object = event { withUnsafeCurrentTask { $0?.cancel() } }
            }
        }
        await #expect(throws: CancellationError.self) { try await first.value }
        #expect(try harness.catalog.release(id).profiles == ["home"])
        // The unfinished job protects what it recorded from gc; it holds no store lock any more.
        let recorded = try harness.catalog.references(profileId: harness.catalog.profile(named: "vault").id!)
            .unfinishedJobKeys
        #expect(!recorded.isEmpty)
        let gc = try await GarbageCollector(catalog: harness.catalog, opener: harness.opener)
            .collect(profileName: "vault", dryRun: true)
        #expect(Set(gc.orphans.map(\.key)).isDisjoint(with: recorded))
        #expect(try await harness.store("vault").list(prefix: "locks/").isEmpty)
        let second = try await copier.copy(release: id, to: "vault")
        #expect(second.objectsSkipped >= 1)
        #expect(second.objectsStored + second.objectsSkipped == 8)
        #expect(try await harness.exported(id, from: "vault") == OperationsHarness.contents(of: Fixtures.album))
    }
}
