import CrateCatalog
import CrateStorage
import Foundation
import Testing

@testable import CrateImporter

@Suite struct ReleaseVerifierTests {
    enum Damage: CaseIterable { case delete, flipByte, truncate }

    static let layouts: [(s3: Bool, encrypted: Bool, chunked: Bool)] = [
        (false, false, false), (false, true, true), (true, false, false), (true, true, true),
    ]

    @Test(arguments: layouts)
    func catchesADeletedAFlippedAndATruncatedObject(layout: (s3: Bool, encrypted: Bool, chunked: Bool)) async throws {
        let target = "01 - Överture.flac"
        for damage in Damage.allCases {
            let harness = try OperationsHarness()
            try await harness.addProfile(
                "p", s3: layout.s3, encrypted: layout.encrypted, chunked: layout.chunked)
            let id = try await harness.importRelease(Fixtures.album, into: "p")
            let verifier = ReleaseVerifier(catalog: harness.catalog, opener: harness.opener)
            let clean = try await verifier.verify(release: id)
            #expect(clean.count == 1 && clean[0].isSound, "\(clean)")
            #expect(clean.first?.filesChecked == 8)

            let key = try objectKey(of: target, release: id, harness: harness)
            let store = try harness.store("p")
            var bytes = try await store.getAll(key)
            switch damage {
            case .delete: try await store.delete(key)
            case .flipByte:
                bytes[bytes.count / 2] ^= 0x01
                try await store.put(key, bytes: bytes)
            case .truncate: try await store.put(key, bytes: Array(bytes.dropLast(100)))
            }
            let reports = try await verifier.verifyAll()
            let report = try #require(reports.first)
            #expect(!report.isSound)
            #expect(report.releaseId == id)
            let expected: VerifyProblem.Kind =
                switch damage {
                case .delete: .missingObject
                case .flipByte: .integrityFailure
                case .truncate: .sizeMismatch
                }
            let problem = report.problems.first { $0.file == target }
            #expect(problem?.kind == expected, "\(damage): \(report.problems)")
            #expect(problem?.message.contains(target) == true || problem?.objectKey == key, "\(report.problems)")
        }
    }

    @Test func samplingReadsAShareButChecksEveryObjectsSize() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("p")
        let id = try await harness.importRelease(Fixtures.album, into: "p")
        let verifier = ReleaseVerifier(catalog: harness.catalog, opener: harness.opener)
        let sampled = try await verifier.verify(release: id, fileSharePercent: 25)
        #expect(sampled.first?.filesChecked == 2)
        #expect(sampled.first?.isSound == true)
        let key = try objectKey(of: "rip.log", release: id, harness: harness)
        try await harness.store("p").delete(key)
        let damaged = try await verifier.verify(release: id, fileSharePercent: 1)
        #expect(damaged.first?.problems.contains { $0.kind == .missingObject && $0.file == "rip.log" } == true)
    }

    @Test func aMissingManifestIsReported() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("p", encrypted: true, chunked: true)
        let id = try await harness.importRelease(Fixtures.album, into: "p")
        try await harness.store("p").delete(ObjectNaming.manifestKey(releaseID: id))
        let report = try #require(
            try await ReleaseVerifier(catalog: harness.catalog, opener: harness.opener).verify(release: id).first)
        #expect(report.problems.map(\.kind) == [.badManifest])
    }

    func objectKey(of path: String, release: String, harness: OperationsHarness) throws -> String {
        let profile = try harness.catalog.profile(named: "p")
        let file = try #require(try harness.catalog.files(ofRelease: release).first { $0.relativePath == path })
        return try #require(try harness.catalog.pieces(ofFile: file.id!, onProfile: profile.id!).first).chunk.objectKey
    }
}
