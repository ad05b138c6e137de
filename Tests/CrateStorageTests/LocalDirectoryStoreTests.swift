import CrateStorage
import CrateTestSupport
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

/// A profile folder someone tampered with: links and special files planted where objects or
/// their folders should be are reported by key, never followed, and nothing outside changes.
@Suite struct LocalDirectoryStoreHostileFolderTests {
    let root: String
    let outside: String
    let store: LocalDirectoryStore

    init() throws {
        let scratch = try makeTemporaryFolder()
        root = scratch + "/profile"
        outside = scratch + "/outside"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside + "/sub", withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: URL(fileURLWithPath: outside + "/file"))
        try Data("more".utf8).write(to: URL(fileURLWithPath: outside + "/sub/deeper"))
        store = LocalDirectoryStore(root: root)
    }

    private func link(_ relative: String, to target: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    private func expectRefused(_ key: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("\(key): expected unexpectedEntry")
        } catch let error as StorageError {
            guard case .unexpectedEntry(_, let kind, let named) = error else {
                Issue.record("\(key): \(error)")
                return
            }
            #expect(named == key)
            #expect(kind == "symbolic link" || kind.contains("pipe"))
            #expect(error.description.contains(key) && error.description.contains("move"))
        } catch {
            Issue.record("\(key): \(error)")
        }
    }

    @Test func aLinkedFolderIsNeverDeletedFromOrWrittenThrough() async throws {
        let before = try folderSnapshot(outside)
        try link("releases/evil", to: outside)
        try link("objects", to: outside + "/sub")
        await expectRefused("releases/evil/file") { try await store.delete("releases/evil/file") }
        await expectRefused("releases/evil/new") { try await store.put("releases/evil/new", bytes: [1]) }
        await expectRefused("objects/ab/cd") { try await store.put("objects/ab/cd", bytes: [1]) }
        await expectRefused("objects/deeper") { _ = try await store.get("objects/deeper", range: nil) }
        await expectRefused("objects/deeper") { _ = try await store.head("objects/deeper") }
        #expect(try await store.list(prefix: "").isEmpty, "links are not objects")
        await #expect(throws: StorageError.self, "a listing never walks through a linked folder") {
            try await store.list(prefix: "objects/")
        }
        #expect(try folderSnapshot(outside) == before, "nothing outside the profile changed")
    }

    @Test func aLinkedObjectIsNeitherServedNorRemoved() async throws {
        try link("objects/ab/abcd", to: outside + "/file")
        await expectRefused("objects/ab/abcd") { _ = try await store.get("objects/ab/abcd", range: 0..<4) }
        await expectRefused("objects/ab/abcd") { try await store.delete("objects/ab/abcd") }
        #expect(FileManager.default.contents(atPath: outside + "/file") == Data("precious".utf8))
        // Storing the object again replaces the link itself, never its target.
        try await store.put("objects/ab/abcd", bytes: [7, 7])
        #expect(try await store.getAll("objects/ab/abcd") == [7, 7])
        #expect(FileManager.default.contents(atPath: outside + "/file") == Data("precious".utf8))
    }

    @Test func aNamedPipeIsReportedWithoutWaitingOnIt() async throws {
        try FileManager.default.createDirectory(atPath: root + "/objects", withIntermediateDirectories: true)
        #expect(mkfifo(root + "/objects/pipe", 0o600) == 0)
        await expectRefused("objects/pipe") { _ = try await store.get("objects/pipe", range: nil) }
    }
}
