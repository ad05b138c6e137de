import CrateCore
import Foundation
import GRDB
import Testing

@testable import CrateCatalog

/// The audio-check columns (issue #20): per file, per release, per copy and per job.
@Suite struct CatalogAudioCheckTests {
    let catalog: Catalog
    let home: StorageProfileRecord
    let cloud: StorageProfileRecord

    init() throws {
        catalog = try Catalog.inMemory()
        home = try catalog.addProfile(
            .init(name: "home", location: .local(path: "/tmp"), encrypted: false, chunked: false))
        cloud = try catalog.addProfile(
            .init(name: "cloud", location: .local(path: "/tmp"), encrypted: false, chunked: false))
    }

    func newRelease(
        id: String, profile: StorageProfileRecord, bytes: Int64 = 100, audio: AudioCheckRecord? = nil,
        allowedDamaged: Bool = false
    ) -> NewRelease {
        NewRelease(
            release: ReleaseRecord(
                id: id, artist: "A", title: "T \(id)", folderName: "A - T", contentHash: "hash-\(id)",
                totalBytes: bytes, allowedDamaged: allowedDamaged),
            files: [.init(relativePath: "01.flac", size: bytes, sha256: "aa", mediaType: "audio/flac", audio: audio)],
            objects: [.init(objectKey: "k-\(id)", storedSize: bytes, plaintextSize: bytes)],
            pieces: [.init(fileIndex: 0, objectIndex: 0, chunkIndex: 0, byteOffset: 0, byteLength: bytes)],
            profileId: profile.id!, manifestKey: "manifests/\(id)")
    }

    @Test func aCommitKeepsEachFilesAudioCheckAndTheAllowedDamage() throws {
        let checked = Date(timeIntervalSince1970: 1_700_000_000)
        let audio = AudioCheckRecord(md5: "0123abcd", result: "damaged: lost sync at byte 9", checkedAt: checked)
        try catalog.commitRelease(newRelease(id: "r1", profile: home, audio: audio, allowedDamaged: true))
        let file = try #require(try catalog.files(ofRelease: "r1").first)
        #expect(file.audioMd5 == "0123abcd")
        #expect(file.audioResult == "damaged: lost sync at byte 9")
        #expect(file.audioCheckedAt == checked)
        #expect(try catalog.release("r1").release.allowedDamaged)
        #expect(try catalog.releases().first?.release.allowedDamaged == true)
    }

    @Test func aLaterCheckReplacesTheResultButKeepsAKnownMD5() throws {
        let audio = AudioCheckRecord(md5: "0123abcd", result: "intact")
        try catalog.commitRelease(newRelease(id: "r1", profile: home, audio: audio))
        #expect(try catalog.release("r1").release.allowedDamaged == false)
        let file = try #require(try catalog.files(ofRelease: "r1").first)
        try catalog.recordAudioCheck(fileId: file.id!, AudioCheckRecord(md5: nil, result: "damaged: truncated"))
        let after = try #require(try catalog.files(ofRelease: "r1").first)
        #expect(after.audioMd5 == "0123abcd")
        #expect(after.audioResult == "damaged: truncated")
    }

    @Test func copiesAreListedLeastRecentlyVerifiedFirst() throws {
        for id in ["r1", "r2", "r3"] { try catalog.commitRelease(newRelease(id: id, profile: home)) }
        try catalog.commitRelease(newRelease(id: "r1", profile: cloud))
        #expect(try catalog.copiesByVerification().map(\.verifiedAt) == [nil, nil, nil, nil])
        try catalog.recordVerification(
            releaseId: "r1", profileId: home.id!, result: "ok", at: Date(timeIntervalSince1970: 20))
        try catalog.recordVerification(
            releaseId: "r3", profileId: home.id!, result: "1 problem", at: Date(timeIntervalSince1970: 10))
        let order = try catalog.copiesByVerification().map { "\($0.releaseId)@\($0.profileName)" }
        #expect(order == ["r1@cloud", "r2@home", "r3@home", "r1@home"])
        let copy = try #require(try catalog.copies(ofRelease: "r3").first?.0)
        #expect(copy.verifyResult == "1 problem")
        #expect(copy.verifiedAt == Date(timeIntervalSince1970: 10))
        #expect(try catalog.copiesByVerification(profileId: cloud.id!).map(\.releaseId) == ["r1"])
    }

    @Test func aJobKeepsAllowDamagedForResume() throws {
        try catalog.createJob(id: "j", sourcePath: "/x", profileId: home.id!, allowDamaged: true)
        #expect(try catalog.job("j")?.allowDamaged == true)
        try catalog.createJob(id: "k", sourcePath: "/y", profileId: home.id!)
        #expect(try catalog.job("k")?.allowDamaged == false)
    }
}
