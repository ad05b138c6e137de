import CrateCatalog
import CrateImporter
import Foundation
import Testing

/// The fixture album through every profile combination: location × encrypted × chunked.
@Suite struct ImportAllCombinationsTests {
    static let combinations: [(s3: Bool, encrypted: Bool, chunked: Bool)] = [false, true].flatMap { s3 in
        [false, true].flatMap { encrypted in [false, true].map { chunked in (s3, encrypted, chunked) } }
    }

    @Test(arguments: 0..<8)
    func importsAndExportsTheFixtureByteIdentical(combination: Int) async throws {
        let (s3, encrypted, chunked) = Self.combinations[combination]
        let harness = try ImportHarness()
        let name = "\(s3 ? "s3" : "local")-\(encrypted ? "sealed" : "plain")-\(chunked ? "chunked" : "whole")"
        try await harness.addProfile(name, s3: s3, encrypted: encrypted, chunked: chunked, chunkSize: 256 << 10)

        let (outcome, events) = try await harness.importFolder(Fixtures.album, profile: name, verify: true)
        let id = try #require(outcome.releaseId, "\(outcome)")
        #expect(events.contains { if case .stage(_, .verify) = $0 { true } else { false } })

        let exported = try await harness.exportHashes(release: id, profile: name)
        #expect(exported == (try ImportHarness.hashes(of: Fixtures.album)))

        let summary = try harness.catalog.release(id)
        #expect(summary.release.artist == "Björk Guðmundsdóttir")
        #expect(summary.release.title == "Tōkyō Sessions")
        #expect(summary.release.year == 2004)
        #expect(summary.release.catalogNumber == "TPLP 358")
        #expect(summary.profiles == [name])
        let tracks = try harness.catalog.tracks(ofRelease: id)
        #expect(tracks.map(\.title) == ["Överture", "東京の夜", "Coda (reprise)", "Hidden Track"])
        #expect(tracks.prefix(3).allSatisfy { $0.durationMs == 2000 })
        let images = try harness.catalog.images(ofRelease: id)
        #expect(images.contains { $0.kind == .front && $0.width == 300 && $0.height == 300 })
        // Every file can be read through the catalog's mapping on this profile.
        let profile = try harness.catalog.profile(named: name)
        for file in try harness.catalog.files(ofRelease: id) where file.size > 0 {
            let pieces = try harness.catalog.pieces(ofFile: file.id!, onProfile: profile.id!)
            #expect(pieces.reduce(0) { $0 + $1.mapping.byteLength } == file.size, "\(file.relativePath)")
        }
    }
}
