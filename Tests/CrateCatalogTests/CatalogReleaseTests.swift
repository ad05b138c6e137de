import CrateCore
import Foundation
import GRDB
import Testing

@testable import CrateCatalog

@Suite struct CatalogReleaseTests {
    let catalog: Catalog
    let home: StorageProfileRecord
    let cloud: StorageProfileRecord

    init() throws {
        catalog = try Catalog.inMemory()
        home = try catalog.addProfile(
            .init(name: "home", location: .local(path: "/tmp"), encrypted: false, chunked: true))
        cloud = try catalog.addProfile(
            .init(name: "cloud", location: .local(path: "/tmp"), encrypted: true, chunked: false))
    }

    func newRelease(id: String = "0123456789abcdef", profile: StorageProfileRecord) -> NewRelease {
        NewRelease(
            release: ReleaseRecord(
                id: id, artist: "Björk", title: "Vespertine", year: 2001, label: "One Little Indian",
                catalogNumber: "TPLP 101", folderName: "Björk - Vespertine (2001)", contentHash: "hash-\(id)",
                totalBytes: 300),
            files: [
                .init(
                    relativePath: "01.flac", size: 200, sha256: "aa", mediaType: "audio/flac",
                    track: .init(
                        discNumber: 1, trackNumber: 1, title: "Hidden Place", artist: "Björk", durationMs: 327_000)),
                .init(
                    relativePath: "cover.jpg", size: 100, sha256: "bb", mediaType: "image/jpeg",
                    image: .init(kind: .front, width: 600, height: 600)),
            ],
            objects: [
                .init(objectKey: "objects/aa/bb/c1", storedSize: 260, plaintextSize: 256),
                .init(objectKey: "objects/aa/bb/c2", storedSize: 48, plaintextSize: 44),
            ],
            pieces: [
                .init(fileIndex: 0, objectIndex: 0, chunkIndex: 0, byteOffset: 0, byteLength: 200),
                .init(fileIndex: 1, objectIndex: 0, chunkIndex: 0, byteOffset: 200, byteLength: 56),
                .init(fileIndex: 1, objectIndex: 1, chunkIndex: 1, byteOffset: 0, byteLength: 44),
            ],
            profileId: profile.id!, manifestKey: "manifests/\(id)")
    }

    @Test func commitsAReleaseWithItsMappingAndFindsIt() throws {
        let job = try catalog.createJob(id: "job1", sourcePath: "/music/x", profileId: home.id!)
        #expect(try catalog.unfinishedJobs().map(\.id) == [job.id])
        try catalog.commitRelease(newRelease(profile: home), finishingJob: "job1")
        #expect(try catalog.unfinishedJobs().isEmpty)
        #expect(try catalog.job("job1")?.state == .committed)

        let found = try catalog.release("0123")
        #expect(found.release.title == "Vespertine")
        #expect(found.profiles == ["home"])
        #expect(try catalog.releases(matching: "björk tplp").count == 1)
        #expect(try catalog.releases(matching: "2001").count == 1)
        #expect(try catalog.releases(matching: "homogenic").isEmpty)

        let files = try catalog.files(ofRelease: found.release.id)
        #expect(files.map(\.relativePath) == ["01.flac", "cover.jpg"])
        #expect(try catalog.tracks(ofRelease: found.release.id).first?.durationMs == 327_000)
        #expect(try catalog.images(ofRelease: found.release.id).first?.width == 600)
        let coverPieces = try catalog.pieces(ofFile: files[1].id!, onProfile: home.id!)
        #expect(coverPieces.map(\.mapping.byteOffset) == [200, 0])
        #expect(coverPieces.map(\.chunk.objectKey) == ["objects/aa/bb/c1", "objects/aa/bb/c2"])
        #expect(
            try catalog.storedRelease(contentHash: "hash-0123456789abcdef", profileId: home.id!)?.id == found.release.id
        )
        #expect(try catalog.storedRelease(contentHash: "hash-0123456789abcdef", profileId: cloud.id!) == nil)
    }

    @Test func aSecondCopyOnAnotherProfileSharesTheFiles() throws {
        try catalog.commitRelease(newRelease(profile: home))
        try catalog.commitRelease(newRelease(profile: cloud))
        let found = try catalog.release("0123456789abcdef")
        #expect(found.profiles == ["cloud", "home"])
        #expect(try catalog.files(ofRelease: found.release.id).count == 2)
        #expect(try catalog.copies(ofRelease: found.release.id).count == 2)
        let fileId = try catalog.files(ofRelease: found.release.id)[0].id!
        #expect(try catalog.pieces(ofFile: fileId, onProfile: cloud.id!).count == 1)
    }

    @Test func sharedChunksAreStoredOnce() throws {
        try catalog.commitRelease(newRelease(id: "aaaa000000000000", profile: home))
        try catalog.commitRelease(newRelease(id: "bbbb000000000000", profile: home))
        let chunkCount = try catalog.writer.read { db in try ChunkRecord.fetchCount(db) }
        #expect(chunkCount == 2)
    }

    @Test func explainsUnknownAndAmbiguousIds() throws {
        try catalog.commitRelease(newRelease(id: "abc1000000000000", profile: home))
        try catalog.commitRelease(newRelease(id: "abc2000000000000", profile: home))
        #expect(throws: CatalogError.unknownRelease("ffff")) { try catalog.release("ffff") }
        let error = #expect(throws: CatalogError.self) { try catalog.release("abc") }
        #expect(error?.description.contains("matches several releases") == true)
        #expect(try catalog.release("abc2").release.id == "abc2000000000000")
    }

    @Test func nothingIsVisibleWhenACommitFails() throws {
        var broken = newRelease(profile: home)
        broken.pieces.append(.init(fileIndex: 0, objectIndex: 1, chunkIndex: 0, byteOffset: 0, byteLength: 1))
        broken.profileId = 999  // no such profile: the copy insert fails at the end
        #expect(throws: CatalogError.self) { try catalog.commitRelease(broken) }
        #expect(try catalog.releases().isEmpty)
        #expect(try catalog.writer.read { db in try FileRecord.fetchCount(db) } == 0)
    }

    @Test func recordsJobProgressForResume() throws {
        try catalog.createJob(id: "j", sourcePath: "/x", profileId: home.id!)
        try catalog.updateJob("j", state: .transferring, bytesTotal: 100)
        for sequence in 0..<3 {
            try catalog.recordStoredObject(
                .init(
                    jobId: "j", sequence: sequence, objectKey: "k\(sequence)", state: .stored, storedSize: 10,
                    plaintextSize: 10),
                bytesDone: Int64(sequence + 1) * 10)
        }
        #expect(try catalog.storedObjects(ofJob: "j").map(\.objectKey) == ["k0", "k1", "k2"])
        #expect(try catalog.job("j")?.bytesDone == 30)
        try catalog.updateJob("j", state: .failed, errorMessage: "boom")
        #expect(try catalog.unfinishedJobs().isEmpty)
    }
}
