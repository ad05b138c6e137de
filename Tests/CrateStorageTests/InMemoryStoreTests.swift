import CrateStorage
import Testing

@Suite struct InMemoryStoreTests {
    @Test func conformsToTheObjectStoreContract() async throws {
        try await runObjectStoreConformance { InMemoryStore() }
    }
}
