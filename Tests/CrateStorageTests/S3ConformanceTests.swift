import CrateStorage
import Testing

/// The shared conformance suites over `S3Store` on moto: the object-store contract, and the
/// four cloud combinations (plain/sealed × whole-file/chunked) through `ReleaseStorage`.
@Suite struct S3ConformanceTests {
    @Test func s3StoreMeetsTheObjectStoreContract() async throws {
        try await runObjectStoreConformance { try await S3StoreTests().makeStore() }
    }

    @Test func theFourCloudCombinationsMeetTheReleaseStorageContract() async throws {
        try await runReleaseStorageConformance(includeLargeFile: false) { try await S3StoreTests().makeStore() }
    }
}
