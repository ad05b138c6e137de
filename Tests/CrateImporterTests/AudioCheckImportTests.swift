import CrateCatalog
import CrateStorage
import CrateTestSupport
import Foundation
import Synchronization
import Testing

@testable import CrateImporter

/// The audio check at import and in `verify --audio` (issue #20), on real FLAC and MP3 files.
@Suite struct AudioCheckImportTests {
    /// Every local combination; the S3 ones too when a moto endpoint is configured (scripts/test).
    static let layouts: [(s3: Bool, encrypted: Bool, chunked: Bool)] = [false, true].flatMap { s3 in
        [(false, false), (false, true), (true, false), (true, true)].map { (s3, $0.0, $0.1) }
    }.filter { !$0.s3 || OperationsHarness.motoEndpoint != nil }

    /// Imports `folder` into profile "p"; returns the outcome and the events.
    func runImport(
        _ folder: String, _ harness: OperationsHarness, allowDamaged: Bool = false
    ) async throws -> (ImportOutcome, [ImportEvent]) {
        let importer = Importer(catalog: harness.catalog, opener: harness.opener)
        let job = try importer.prepare(source: folder, profileName: "p", allowDamaged: allowDamaged)
        let events = Mutex<[ImportEvent]>([])
        let outcome = await importer.run(jobId: job.id) { event in events.withLock { $0.append(event) } }
        return (outcome, events.withLock { $0 })
    }

    func damagedFiles(_ events: [ImportEvent]) -> [String] {
        events.compactMap { event in
            if case .audioDamaged(_, let file, _) = event { return file }
            return nil
        }
    }

    @Test func damagedFilesRefuseTheImportNamingThem() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("p")
        let folder = try await AudioAlbum.make(harness.scratch.path + "/All Kinds", tracks: AudioAlbum.Track.allCases)
        let (outcome, events) = try await runImport(folder, harness)
        guard case .failed(let message) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        let damaged = AudioAlbum.Track.allCases.filter(\.isDamaged).map(\.rawValue)
        #expect(damagedFiles(events) == damaged)
        for track in AudioAlbum.Track.allCases {
            #expect(message.contains(track.rawValue) == track.isDamaged, "\(track): \(message)")
        }
        #expect(message.contains("--allow-damaged"))
        #expect(message.contains("3 files are damaged"))
        #expect(try harness.catalog.releases().isEmpty)
        // The failure discarded what the transfer had stored.
        let left = try await harness.store("p").list(prefix: "")
        #expect(left.filter { !$0.key.hasPrefix("locks/") && $0.key != "crate-profile.json" }.isEmpty, "\(left)")
    }

    @Test func allowDamagedImportsAndRecordsEveryCheck() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("p")
        let folder = try await AudioAlbum.make(harness.scratch.path + "/All Kinds", tracks: AudioAlbum.Track.allCases)
        let goodMD5 = try await AudioAlbum.md5(of: folder + "/" + AudioAlbum.Track.good.rawValue)
        let (outcome, events) = try await runImport(folder, harness, allowDamaged: true)
        guard case .committed(let id) = outcome else {
            Issue.record("expected a commit, got \(outcome)")
            return
        }
        #expect(damagedFiles(events).count == 3)
        #expect(try harness.catalog.release(id).release.allowedDamaged)
        let files = Dictionary(
            uniqueKeysWithValues: try harness.catalog.files(ofRelease: id).map { ($0.relativePath, $0) })
        for track in AudioAlbum.Track.allCases {
            let file = try #require(files[track.rawValue])
            let result = file.audioResult ?? "unchecked"
            #expect(file.audioCheckedAt != nil)
            switch track {
            case .good, .goodMP3: #expect(result == "intact")
            case .flipped, .truncated, .truncatedMP3: #expect(result.hasPrefix("damaged: "), "\(track): \(result)")
            case .noMD5: #expect(result.hasPrefix("cannot check: "), "\(result)")
            }
        }
        #expect(files[AudioAlbum.Track.good.rawValue]?.audioMd5 == goodMD5)
        // A damaged FLAC still records what its STREAMINFO says the audio is.
        #expect(files[AudioAlbum.Track.flipped.rawValue]?.audioMd5?.count == 32)
        #expect(files[AudioAlbum.Track.noMD5.rawValue]?.audioMd5 == nil)
        #expect(files["cover.jpg"]?.audioResult == nil)
    }

    @Test func aFileWithoutAnMD5CannotBeCheckedButDoesNotRefuse() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("p")
        let folder = try await AudioAlbum.make(harness.scratch.path + "/Clean", tracks: [.good, .noMD5, .goodMP3])
        let (outcome, events) = try await runImport(folder, harness)
        guard case .committed(let id) = outcome else {
            Issue.record("expected a commit, got \(outcome)")
            return
        }
        #expect(damagedFiles(events).isEmpty)
        #expect(try harness.catalog.release(id).release.allowedDamaged == false)
    }

    /// A good album passes `verify --audio` on every profile combination; once bytes in the
    /// middle of a stored FLAC are flipped (whole-file, plain: the object is the file), both the
    /// SHA-256 and the audio check name it.
    @Test(arguments: layouts)
    func verifyAudioChecksTheStoredCopy(layout: (s3: Bool, encrypted: Bool, chunked: Bool)) async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("p", s3: layout.s3, encrypted: layout.encrypted, chunked: layout.chunked)
        let folder = try await AudioAlbum.make(harness.scratch.path + "/Clean", tracks: [.good, .noMD5, .goodMP3])
        let id = try await harness.importRelease(folder, into: "p")
        let verifier = ReleaseVerifier(catalog: harness.catalog, opener: harness.opener)
        let report = try #require(try await verifier.verify(release: id, audio: true).first)
        #expect(report.isSound, "\(report.problems)")
        #expect(report.audioChecked == 3)
        #expect(report.notes.map(\.kind) == [.audioNotCheckable])
        #expect(report.notes.first?.file == AudioAlbum.Track.noMD5.rawValue)
        let copy = try #require(try harness.catalog.copies(ofRelease: id).first?.0)
        #expect(copy.verifyResult == "ok" && copy.verifiedAt != nil)
        guard !layout.s3 && !layout.encrypted && !layout.chunked else { return }

        let path = AudioAlbum.Track.good.rawValue
        let profile = try harness.catalog.profile(named: "p")
        let file = try #require(try harness.catalog.files(ofRelease: id).first { $0.relativePath == path })
        let key = try #require(try harness.catalog.pieces(ofFile: file.id!, onProfile: profile.id!).first).chunk
            .objectKey
        let objectFile = harness.scratch.path + "/store-p/" + key
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: objectFile)))
        AudioAlbum.flipMiddle(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: objectFile))

        let damaged = try #require(try await verifier.verify(release: id, audio: true).first)
        let kinds = Set(damaged.problems.filter { $0.file == path }.map(\.kind))
        #expect(kinds == [.damagedAudio, .integrityFailure], "\(damaged.problems)")
        let after = try #require(try harness.catalog.files(ofRelease: id).first { $0.relativePath == path })
        #expect(after.audioResult?.hasPrefix("damaged: ") == true)
        #expect(after.audioMd5 == file.audioMd5)
        let recorded = try #require(try harness.catalog.copies(ofRelease: id).first?.0)
        #expect(recorded.verifyResult?.hasPrefix("2 problems: ") == true, "\(recorded.verifyResult ?? "")")
        // Without --audio only the hash speaks.
        let plain = try #require(try await verifier.verify(release: id).first)
        #expect(plain.problems.map(\.kind) == [.integrityFailure])
        #expect(plain.audioChecked == 0)
    }
}
