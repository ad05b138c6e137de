import CrateCatalog
import CrateStorage
import Foundation
import Testing

@testable import CrateImporter

@Suite struct CatalogRecoveryTests {
    @Test(arguments: [false, true])
    func rebuildsTheCatalogFromStorageAlone(s3: Bool) async throws {
        let original = try OperationsHarness()
        let profile = try await original.addProfile("p", s3: s3, encrypted: true, chunked: s3)
        let album = try await original.importRelease(Fixtures.album, into: "p")
        let other = try await original.importRelease(
            try original.makeFolder("Other Artist - Other Title (1999)", files: [("x.bin", 1000, 3)]), into: "p")

        // A fresh catalog that knows only the profile's location and passphrase.
        let fresh = try OperationsHarness()
        let attached = try await ProfileSetup(catalog: fresh.catalog, opener: fresh.opener, scrypt: { .forTesting() })
            .create(
                profile.spec, makeDefault: true, newPassphrase: { "unused" },
                existingPassphrase: { OperationsHarness.passphrase })
        guard case .attached = attached else { throw TestError("expected to attach") }
        let report = try await CatalogRecovery(catalog: fresh.catalog, opener: fresh.opener).recover(profileName: "p")
        #expect(Set(report.recovered) == [album, other])
        #expect(report.refused.isEmpty)

        func summary(_ catalog: Catalog) throws -> [String] {
            try catalog.releases().map {
                "\($0.release.id) \($0.release.artist) \($0.release.title) \($0.release.year ?? 0) \($0.profiles) "
                    + "\($0.release.totalBytes) \($0.release.contentHash)"
            }
        }
        #expect(try summary(fresh.catalog) == summary(original.catalog))
        #expect(
            try fresh.catalog.files(ofRelease: album).map(\.sha256)
                == original.catalog.files(ofRelease: album).map(\.sha256))
        #expect(try await fresh.exported(album, from: "p") == OperationsHarness.contents(of: Fixtures.album))
        let reports = try await ReleaseVerifier(catalog: fresh.catalog, opener: fresh.opener).verifyAll()
        #expect(reports.count == 2 && reports.allSatisfy { $0.isSound }, "\(reports)")

        // Running it again adds nothing.
        let again = try await CatalogRecovery(catalog: fresh.catalog, opener: fresh.opener).recover(profileName: "p")
        #expect(again.recovered.isEmpty && Set(again.alreadyKnown) == [album, other])
    }

    @Test func refusesTamperedAndEscapingManifestsAndRecoversTheRest() async throws {
        let harness = try OperationsHarness()
        let sealed = try await harness.addProfile("sealed", encrypted: true, chunked: true)
        let plain = try await harness.addProfile("plain")
        let good = try await harness.importRelease(Fixtures.album, into: "sealed")
        let bad = try await harness.importRelease(
            try harness.makeFolder("A - B (2000)", files: [("a.bin", 100, 1)]), into: "sealed")
        let plainGood = try await harness.importRelease(Fixtures.album, into: "plain")

        // Sealed: flip a byte of one manifest; authentication must refuse it.
        let sealedStore = try harness.store("sealed")
        let key = ObjectNaming.manifestKey(releaseID: bad)
        var bytes = try await sealedStore.getAll(key)
        bytes[bytes.count - 20] ^= 0x80
        try await sealedStore.put(key, bytes: bytes)

        // Plain: a forged manifest whose file path climbs out of the release, and one naming
        // the profile descriptor as an object.
        let plainStack = try await harness.opener.open(plain)
        var forged = try await plainStack.openRelease(id: plainGood).manifest
        forged.release.id = "forged1"
        forged.files[0].path = "../../etc/evil"
        try await plainStack.store.put("manifests/forged1", bytes: try forged.jsonBytes())
        forged.release.id = "forged2"
        forged.files[0].path = "fine.txt"
        forged.files[0].objectKey = "crate-profile.json"
        try await plainStack.store.put("manifests/forged2", bytes: try forged.jsonBytes())

        for (profile, expectedGood, refusedKeys) in [
            (sealed, good, [key]), (plain, plainGood, ["manifests/forged1", "manifests/forged2"]),
        ] {
            let fresh = try OperationsHarness()
            _ = try await ProfileSetup(catalog: fresh.catalog, opener: fresh.opener).create(
                profile.spec, makeDefault: false, newPassphrase: { "unused" },
                existingPassphrase: { OperationsHarness.passphrase })
            let report = try await CatalogRecovery(catalog: fresh.catalog, opener: fresh.opener)
                .recover(profileName: profile.name)
            #expect(report.recovered == [expectedGood])
            #expect(report.refused.map(\.manifestKey) == refusedKeys, "\(report.refused)")
            #expect(try fresh.catalog.releases().map(\.release.id) == [expectedGood])
        }
        #expect(FileManager.default.fileExists(atPath: harness.scratch.path + "/store-plain/crate-profile.json"))
    }

    @Test func refusesAManifestReusingAKnownReleaseIdWithOtherFiles() async throws {
        let harness = try OperationsHarness()
        let plain = try await harness.addProfile("plain")
        try await harness.addProfile("other")
        let known = try await harness.importRelease(
            try harness.makeFolder("A - B (2000)", files: [("a.bin", 100, 1)]), into: "other")
        let real = try await harness.importRelease(Fixtures.album, into: "plain")
        let stack = try await harness.opener.open(plain)
        var forged = try await stack.openRelease(id: real).manifest
        forged.release.id = known
        let key = ObjectNaming.manifestKey(releaseID: known)
        try await stack.store.put(key, bytes: try forged.jsonBytes())

        let report = try await CatalogRecovery(catalog: harness.catalog, opener: harness.opener)
            .recover(profileName: "plain")
        #expect(report.recovered.isEmpty)
        #expect(report.refused.map(\.manifestKey) == [key])
        #expect(report.refused.first?.reason.contains("already in the catalog with other files") == true)
        #expect(try harness.catalog.release(known).profiles == ["other"], "no bogus copy was added")
    }
}
