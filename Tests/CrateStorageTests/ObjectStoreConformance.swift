import CrateStorage
import Testing

/// The `ObjectStore` contract as one suite: every store (in memory, local folder, S3) calls it
/// with a factory that returns a fresh, empty store.
func runObjectStoreConformance(_ makeStore: @Sendable () async throws -> any ObjectStore) async throws {
    try await checkPutGetHead(try await makeStore())
    try await checkRanges(try await makeStore())
    try await checkMissingKeys(try await makeStore())
    try await checkOverwriteAndIdempotence(try await makeStore())
    try await checkDelete(try await makeStore())
    try await checkList(try await makeStore())
    try await checkInvalidKeys(try await makeStore())
    try await checkFailedPutLeavesNothing(try await makeStore())
}

private func checkPutGetHead(_ store: any ObjectStore) async throws {
    let bytes = testBytes(count: 3 * 1024 * 1024 + 17, seed: 1)
    try await store.put("a/b/c.bin", bytes: bytes)
    #expect(try await store.getAll("a/b/c.bin") == bytes)
    #expect(try await store.head("a/b/c.bin") == ObjectInfo(key: "a/b/c.bin", size: Int64(bytes.count)))
    try await store.put("empty", bytes: [])
    #expect(try await store.getAll("empty") == [])
    #expect(try await store.head("empty")?.size == 0)
    // A streamed put with an unknown size.
    try await store.put("streamed", body: BytesReader(bytes), size: nil)
    #expect(try await store.getAll("streamed") == bytes)
    // Non-ASCII keys are allowed.
    try await store.put("releases/Björk/Homogenic (1997)/01 Hunter.flac", bytes: [1, 2, 3])
    #expect(try await store.getAll("releases/Björk/Homogenic (1997)/01 Hunter.flac") == [1, 2, 3])
}

private func checkRanges(_ store: any ObjectStore) async throws {
    let bytes = testBytes(count: 1000, seed: 2)
    try await store.put("r", bytes: bytes)
    func read(_ range: Range<Int64>) async throws -> [UInt8] {
        try await store.get("r", range: range).readAll()
    }
    #expect(try await read(0..<1000) == bytes)
    #expect(try await read(0..<1) == [bytes[0]])
    #expect(try await read(999..<1000) == [bytes[999]])
    #expect(try await read(10..<20) == Array(bytes[10..<20]))
    #expect(try await read(500..<5000) == Array(bytes[500...]), "an upper bound past the end is clipped")
    #expect(try await read(1000..<1000) == [], "an empty range at the end reads nothing")
    #expect(try await read(1000..<2000) == [], "a range starting at the end reads nothing")
    #expect(try await read(7..<7) == [])
    await #expect(throws: StorageError.invalidRange(key: "r", range: 1001..<1002, size: 1000)) {
        _ = try await store.get("r", range: 1001..<1002)
    }
    try await store.put("e", bytes: [])
    #expect(try await store.get("e", range: 0..<10).readAll() == [])
}

private func checkMissingKeys(_ store: any ObjectStore) async throws {
    await #expect(throws: StorageError.notFound(key: "nope")) { _ = try await store.get("nope", range: nil) }
    await #expect(throws: StorageError.notFound(key: "no/pe")) { _ = try await store.get("no/pe", range: 0..<1) }
    #expect(try await store.head("nope") == nil)
    try await store.put("dir/file", bytes: [1])
    #expect(try await store.head("dir") == nil, "a key prefix is not an object")
    #expect(try await store.head("dir/file/deeper") == nil)
}

private func checkOverwriteAndIdempotence(_ store: any ObjectStore) async throws {
    try await store.put("k", bytes: [1, 2, 3, 4])
    try await store.put("k", bytes: [9])
    #expect(try await store.getAll("k") == [9])
    try await store.put("k", bytes: [9])
    #expect(try await store.getAll("k") == [9])
    #expect(try await store.list(prefix: "") == [ObjectInfo(key: "k", size: 1)])
}

private func checkDelete(_ store: any ObjectStore) async throws {
    try await store.put("x/y", bytes: [1])
    try await store.put("x/z", bytes: [2])
    try await store.delete("x/y")
    #expect(try await store.head("x/y") == nil)
    try await store.delete("x/y")
    try await store.delete("never/was")
    #expect(try await store.getAll("x/z") == [2])
    #expect(try await store.list(prefix: "").map(\.key) == ["x/z"])
}

private func checkList(_ store: any ObjectStore) async throws {
    #expect(try await store.list(prefix: "") == [])
    let keys = ["b", "a/2", "a/1", "a/10", "ab", "objects/aa/bb/1", "objects/aa/bc/2", "é", "z/y/x"]
    for (index, key) in keys.enumerated() { try await store.put(key, bytes: Array(repeating: 7, count: index)) }
    let all = try await store.list(prefix: "")
    #expect(all.map(\.key) == ["a/1", "a/10", "a/2", "ab", "b", "objects/aa/bb/1", "objects/aa/bc/2", "z/y/x", "é"])
    #expect(all.first { $0.key == "ab" }?.size == 4)
    #expect(try await store.list(prefix: "a").map(\.key) == ["a/1", "a/10", "a/2", "ab"])
    #expect(try await store.list(prefix: "a/").map(\.key) == ["a/1", "a/10", "a/2"])
    #expect(try await store.list(prefix: "a/1").map(\.key) == ["a/1", "a/10"])
    #expect(try await store.list(prefix: "objects/aa/b").map(\.key) == ["objects/aa/bb/1", "objects/aa/bc/2"])
    #expect(try await store.list(prefix: "nothing/").isEmpty)
    // Many objects: implementations that page must return them all.
    for index in 0..<150 { try await store.put("many/\(1000 + index)", bytes: []) }
    #expect(try await store.list(prefix: "many/").count == 150)
}

private func checkInvalidKeys(_ store: any ObjectStore) async throws {
    for key in ["", "/abs", "a//b", "a/", "./a", "a/../b", "..", "a/./b", "tab\there", "nl\n"] {
        await #expect(throws: StorageError.invalidKey(key)) { try await store.put(key, bytes: [1]) }
        await #expect(throws: StorageError.invalidKey(key)) { _ = try await store.get(key, range: nil) }
        await #expect(throws: StorageError.invalidKey(key)) { _ = try await store.head(key) }
        await #expect(throws: StorageError.invalidKey(key)) { try await store.delete(key) }
    }
    #expect(try await store.list(prefix: "").isEmpty)
}

private func checkFailedPutLeavesNothing(_ store: any ObjectStore) async throws {
    let failing = FailingReader(bytes: testBytes(count: 3 << 20, seed: 3), failAfter: 2 << 20)
    await #expect(throws: TestFailure.self) { try await store.put("fail/me", body: failing, size: 3 << 20) }
    #expect(try await store.head("fail/me") == nil)
    try await store.put("fail/old", bytes: [1, 2])
    let again = FailingReader(bytes: testBytes(count: 3 << 20, seed: 3), failAfter: 1 << 20)
    await #expect(throws: TestFailure.self) { try await store.put("fail/old", body: again, size: nil) }
    #expect(try await store.getAll("fail/old") == [1, 2], "a failed overwrite keeps the old object")
    #expect(try await store.list(prefix: "fail/").map(\.key) == ["fail/old"])
}
