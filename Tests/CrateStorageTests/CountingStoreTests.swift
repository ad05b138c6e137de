import CrateStorage
import Testing

@Suite struct CountingStoreTests {
    @Test func conformsToTheObjectStoreContract() async throws {
        try await runObjectStoreConformance { CountingStore(wrapping: InMemoryStore()) }
    }

    @Test func countsRequestsAndBytes() async throws {
        let store = CountingStore(wrapping: InMemoryStore())
        try await store.put("a", bytes: testBytes(count: 100, seed: 1))
        _ = try await store.getAll("a")
        _ = try await store.get("a", range: 10..<20).readAll()
        _ = try await store.head("a")
        _ = try await store.list(prefix: "")
        try await store.delete("a")
        let counts = store.counts
        #expect(counts.puts == 1 && counts.gets == 2 && counts.rangedGets == 1)
        #expect(counts.heads == 1 && counts.lists == 1 && counts.deletes == 1)
        #expect(counts.bytesWritten == 100 && counts.bytesRead == 110)
        store.reset()
        #expect(store.counts == CountingStore.Counts())
    }
}
