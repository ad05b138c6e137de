import CrateStorage
import Foundation
import Testing

@Suite struct LocalDirectoryStoreTests {
    @Test func conformsToTheObjectStoreContract() async throws {
        try await runObjectStoreConformance { LocalDirectoryStore(root: try makeTemporaryFolder()) }
    }

    @Test func aFailedPutLeavesNoFileBehind() async throws {
        let root = try makeTemporaryFolder()
        let store = LocalDirectoryStore(root: root)
        let failing = FailingReader(bytes: testBytes(count: 4 << 20, seed: 9), failAfter: 3 << 20)
        await #expect(throws: TestFailure.self) { try await store.put("a/b/object", body: failing, size: nil) }
        #expect(!FileManager.default.fileExists(atPath: root + "/a/b/object"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/a/b") == [], "no temporary file left")
    }

    @Test func objectsAreFilesAPersonCanBrowse() async throws {
        let root = try makeTemporaryFolder()
        let store = LocalDirectoryStore(root: root + "/")
        try await store.put("releases/Artist/Album/01.flac", bytes: [1, 2, 3])
        #expect(FileManager.default.contents(atPath: root + "/releases/Artist/Album/01.flac") == Data([1, 2, 3]))
        try await store.delete("releases/Artist/Album/01.flac")
        #expect(!FileManager.default.fileExists(atPath: root + "/releases"), "empty folders are tidied")
        #expect(FileManager.default.fileExists(atPath: root))
    }

    @Test func refusesKeysThatLookLikeItsTemporaryFiles() async throws {
        let store = LocalDirectoryStore(root: try makeTemporaryFolder())
        await #expect(throws: StorageError.invalidKey("a/.crate-tmp-x")) {
            try await store.put("a/.crate-tmp-x", bytes: [])
        }
    }
}
