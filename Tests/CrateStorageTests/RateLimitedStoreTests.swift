import CrateStorage
import Testing

@Suite struct RateLimitedStoreTests {
    @Test func conformsToTheObjectStoreContract() async throws {
        let pace = UploadPace(bytesPerSecond: 1 << 30)
        try await runObjectStoreConformance { RateLimitedStore(wrapping: InMemoryStore(), pace: pace) }
    }

    /// The booking arithmetic, on a clock the test holds: no sleeping, no timing.
    @Test func bytesAreBookedOneAfterAnotherAtTheRate() {
        let pace = UploadPace(bytesPerSecond: 1 << 20)
        let t0 = ContinuousClock.now
        #expect(pace.book(1 << 20, now: t0) == t0)
        #expect(pace.book(1 << 19, now: t0) == t0 + .seconds(1))
        #expect(pace.book(1 << 19, now: t0 + .milliseconds(100)) == t0 + .milliseconds(1500))
        // After an idle spell the next bytes go at once; idle time is not saved up as credit.
        #expect(pace.book(1, now: t0 + .seconds(10)) == t0 + .seconds(10))
    }

    @Test func putsKeepTheirBytes() async throws {
        let base = CountingStore(wrapping: InMemoryStore())
        let pace = UploadPace(bytesPerSecond: 1 << 30)
        let store = RateLimitedStore(wrapping: base, pace: pace)
        let bytes = testBytes(count: 300_000, seed: 7)
        try await store.put("a", bytes: bytes)
        #expect(try await store.getAll("a") == bytes)
        #expect(base.counts.bytesWritten == 300_000)
    }
}
