import CrateStorage
import Testing

/// The shared conformance suites over `S3Store` on moto: the object-store contract, and the
/// four cloud combinations (plain/sealed × whole-file/chunked) through `ReleaseStorage`, over
/// plain HTTP and over HTTPS (a private CA named by the location, as a profile's --ca-bundle).
@Suite struct S3ConformanceTests {
    @Test(arguments: [false, true])
    func s3StoreMeetsTheObjectStoreContract(tls: Bool) async throws {
        try await runObjectStoreConformance { try await S3StoreTests().makeStore(tls: tls) }
    }

    @Test(arguments: [false, true])
    func theFourCloudCombinationsMeetTheReleaseStorageContract(tls: Bool) async throws {
        try await runReleaseStorageConformance(includeLargeFile: false) {
            try await S3StoreTests().makeStore(tls: tls)
        }
    }
}
