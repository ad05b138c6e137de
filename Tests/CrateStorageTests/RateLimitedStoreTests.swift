import CrateStorage
import Synchronization
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

    /// A put that was paused or failed gives back the time it booked and did not use.
    @Test func unsentBytesGiveTheirTimeBack() {
        let pace = UploadPace(bytesPerSecond: 1 << 20)
        let t0 = ContinuousClock.now
        #expect(pace.book(2 << 20, now: t0) == t0)
        pace.giveBack(1 << 20, now: t0)
        #expect(pace.book(1, now: t0) == t0 + .seconds(1))
        // Never before now.
        pace.giveBack(8 << 20, now: t0 + .seconds(1))
        #expect(pace.book(1, now: t0 + .seconds(1)) == t0 + .seconds(1))
    }

    /// Puts that start together take the line one after the other: when the first has been
    /// given all its bytes, the second has had at most its first piece (it would have had
    /// half of its bytes if the puts shared the line piece by piece).
    @Test func putsInFlightShareTheLineInTurn() async throws {
        let base = PullCountingStore()
        let store = RateLimitedStore(wrapping: base, pace: UploadPace(bytesPerSecond: 256 << 10))
        let bytes = testBytes(count: 256 << 10, seed: 1)
        async let first: Void = store.put("a", bytes: bytes)
        try await Task.sleep(for: .milliseconds(20))
        async let second: Void = store.put("b", bytes: bytes)
        try await first
        try await second
        #expect(base.pulledWhenDone["a"]?["b", default: 0] ?? .max <= 64 << 10, "the second put waited")
        #expect(base.pulledWhenDone["b"]?["b"] == 256 << 10)
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

/// Reads each put's body to its end, counting what each put has pulled so far; when a body
/// ends, notes how far every put had got.
final class PullCountingStore: StoreWrapper, Sendable {
    let base: any ObjectStore = InMemoryStore()
    private let state = Mutex<(counts: [String: Int], whenDone: [String: [String: Int]])>(([:], [:]))

    var pulledWhenDone: [String: [String: Int]] { state.withLock { $0.whenDone } }

    func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        var bytes: [UInt8] = []
        while true {
            let piece = try await body.read(upTo: 1 << 20)
            if piece.isEmpty { break }
            bytes += piece
            state.withLock { $0.counts[key, default: 0] += piece.count }
        }
        state.withLock { $0.whenDone[key] = $0.counts }
        try await base.put(key, body: BytesReader(bytes), size: size)
    }
}
