import CrateCatalog
import CrateStorage
import Foundation
import Testing

@testable import CrateImporter

@Suite struct ReleaseRemoverTests {
    /// Two releases whose streams start with the same 600 KB file: their first two 256 KiB
    /// chunks are the same objects.
    static func twoReleasesSharingChunks(_ harness: OperationsHarness) throws -> (String, String) {
        let a = try harness.makeFolder("Shared - First (2001)", files: [("a.bin", 600_000, 1)])
        let b = try harness.makeFolder("Shared - Second (2002)", files: [("a.bin", 600_000, 1), ("b.bin", 50_000, 2)])
        return (a, b)
    }

    @Test(arguments: [false, true])
    func removingOneOfTwoReleasesSharingChunksKeepsTheOther(s3: Bool) async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("p", s3: s3, encrypted: s3, chunked: true)
        let (folderA, folderB) = try Self.twoReleasesSharingChunks(harness)
        let a = try await harness.importRelease(folderA, into: "p")
        let b = try await harness.importRelease(folderB, into: "p")
        let store = try harness.store("p")
        #expect(try await store.list(prefix: "objects/").count == 4)  // 2 shared + 1 + 1

        let report = try await ReleaseRemover(catalog: harness.catalog, opener: harness.opener).remove(release: a)
        #expect(report.releaseRemoved)
        #expect(report.copies.first?.objectsDeleted == 2)  // its own last chunk and its manifest
        #expect(report.copies.first?.objectsShared == 2)
        #expect(throws: CatalogError.self) { try harness.catalog.release(a) }
        #expect(try await store.list(prefix: "objects/").count == 3)
        #expect(try await store.head(ObjectNaming.manifestKey(releaseID: a)) == nil)
        let reports = try await ReleaseVerifier(catalog: harness.catalog, opener: harness.opener).verifyAll()
        #expect(reports.map(\.releaseId) == [b] && reports.allSatisfy { $0.isSound }, "\(reports)")
        let files = try harness.catalog.files(ofRelease: b)
        #expect(
            try await harness.exported(b, from: "p")["a.bin"]
                == Data(OperationsHarness.bytes(count: 600_000, seed: 1)))
        #expect(files.count == 2)

        _ = try await ReleaseRemover(catalog: harness.catalog, opener: harness.opener).remove(release: b)
        #expect(try await store.list(prefix: "objects/").isEmpty)
        #expect(try await store.list(prefix: "manifests/").isEmpty)
        let gc = try await GarbageCollector(catalog: harness.catalog, opener: harness.opener)
            .collect(profileName: "p", dryRun: true)
        #expect(gc.orphans.isEmpty)
    }

    @Test func removingOneCopyKeepsTheRelease() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("home")
        try await harness.addProfile("vault", encrypted: true, chunked: true)
        let id = try await harness.importRelease(Fixtures.album, into: "home")
        _ = try await ReleaseCopier(catalog: harness.catalog, opener: harness.opener).copy(release: id, to: "vault")
        let report = try await ReleaseRemover(catalog: harness.catalog, opener: harness.opener)
            .remove(release: id, profileName: "home")
        #expect(!report.releaseRemoved)
        #expect(report.copies.first?.objectsDeleted == 9)  // 8 files and the manifest
        #expect(try harness.catalog.release(id).profiles == ["vault"])
        #expect(try await harness.store("home").list(prefix: "releases/").isEmpty)
        #expect(try await harness.exported(id, from: "vault") == OperationsHarness.contents(of: Fixtures.album))
    }

    @Test(arguments: [false, true])
    func gcAfterAnInterruptedImportRemovesExactlyTheOrphans(s3: Bool) async throws {
        let harness = try OperationsHarness()
        let profile = try await harness.addProfile("p", s3: s3, encrypted: !s3, chunked: true)
        let (folderA, _) = try Self.twoReleasesSharingChunks(harness)
        let kept = try await harness.importRelease(folderA, into: "p")
        let store = try harness.store("p")
        let before = Set(try await store.list(prefix: "").map(\.key))

        // An import that died after storing chunks (two shared with the kept release, two
        // new) but before its last chunk, its manifest and its commit.
        let job = try harness.catalog.createJob(id: "dead", sourcePath: "/gone", profileId: profile.id!)
        let stack = try await harness.opener.open(profile)
        let writer = try stack.makeWriter(release: ReleaseInfo(id: "deadbeef", artist: "X", title: "Y")) { event in
            if case .objectStored(let object) = event {
                try? harness.catalog.recordStoredObject(
                    .init(
                        jobId: job.id, sequence: Int.random(in: 0...1_000_000), objectKey: object.key, state: .stored,
                        storedSize: object.storedSize, plaintextSize: object.plaintextSize), bytesDone: 0)
            }
        }
        let data = OperationsHarness.bytes(count: 600_000, seed: 1) + OperationsHarness.bytes(count: 600_000, seed: 9)
        try await writer.writeFile(path: "x.bin", size: Int64(data.count), body: BytesReader(data))
        try await writer.drain()  // the chunks that landed were recorded, as the importer does
        // A manifest that is not Crate's, and a key outside the collected folders.
        try await store.put("manifests/0123456789abcdef", bytes: Array("{}".utf8))
        try await store.put("notes.txt", bytes: Array("mine".utf8))
        let orphans = Set(try await store.list(prefix: "objects/").map(\.key)).subtracting(before)
        // A partial upload a crash left: an open multipart upload on S3, a temporary file locally.
        let s3Store = store.unwrap(as: S3Store.self)
        if let s3Store {
            _ = try await s3Store.client.createMultipartUpload(s3Store.keyPrefix + "objects/ab/cd/stale")
        } else {
            let folder = harness.scratch.path + "/store-p/objects/ab"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(count: 1000).write(to: URL(fileURLWithPath: folder + "/.crate-tmp-stale"))
        }
        #expect(orphans.count == 2)  // the 2 new chunks

        // An unreadable manifest stops every deletion: what it references is unknown.
        let collector = GarbageCollector(catalog: harness.catalog, opener: harness.opener)
        await #expect(throws: ReclaimError.self) { try await collector.collect(profileName: "p", dryRun: false) }
        #expect(Set(try await store.list(prefix: "objects/").map(\.key)).isSuperset(of: orphans))
        try await store.delete("manifests/0123456789abcdef")

        // While the job is unfinished its objects are spared.
        let whileUnfinished = try await collector.collect(profileName: "p", dryRun: true)
        #expect(whileUnfinished.orphans.isEmpty)

        try harness.catalog.updateJob(job.id, state: .failed, errorMessage: "killed")
        let dryRun = try await collector.collect(profileName: "p", dryRun: true)
        #expect(Set(dryRun.orphans.map(\.key)) == orphans)
        #expect(Set(try await store.list(prefix: "").map(\.key)).isSuperset(of: orphans))
        let real = try await collector.collect(profileName: "p", dryRun: false)
        #expect(Set(real.orphans.map(\.key)) == orphans)
        #expect(real.bytes > 500_000)  // two 256 KiB chunks
        #expect(real.failures.isEmpty)
        #expect(Set(try await store.list(prefix: "").map(\.key)) == before.union(["notes.txt"]))
        let reports = try await ReleaseVerifier(catalog: harness.catalog, opener: harness.opener).verify(release: kept)
        #expect(reports.allSatisfy { $0.isSound })
        #expect(
            dryRun.partialUploads.map(\.key) == [s3Store == nil ? "objects/ab/.crate-tmp-stale" : "objects/ab/cd/stale"]
        )
        #expect(real.partialUploads == dryRun.partialUploads)
        if let s3Store {
            #expect(try await s3Store.client.listMultipartUploads(prefix: s3Store.keyPrefix).isEmpty)
        } else {
            #expect(
                !FileManager.default.fileExists(atPath: harness.scratch.path + "/store-p/objects/ab/.crate-tmp-stale"))
        }
        #expect(try await store.list(prefix: "locks/").isEmpty)
    }
}
