import CrateCore
import Foundation
import Synchronization
import Testing

@testable import CrateStorage

/// Back-pressure: a store slower than the source must slow the writer down, not make it hold
/// more and more chunks in memory.
@Suite struct SlowStoreBackPressureTests {
    @Test func aSlowStoreBoundsTheBytesInFlight() async throws {
        let chunkSize = 256 * 1024
        let spec = ProfileSpec(
            name: "slow", location: .local(path: "/unused"), encrypted: false, chunked: true, chunkSize: chunkSize)
        let slow = SlowStore(base: InMemoryStore())
        let stack = try StorageStack.make(spec: spec, dataKey: nil, store: slow)
        let writer = try stack.makeWriter(release: ReleaseInfo(id: "5105", artist: "A", title: "B"))
        // 48 MiB through puts that each take 20 ms: the source could outrun the store 100×.
        let size = 48 << 20
        try await writer.writeFile(path: "a.flac", size: Int64(size), body: GeneratedBytes(count: size))
        _ = try await writer.finish()
        let peak = slow.peakBytesInFlight
        #expect(peak > chunkSize, "puts should overlap (peak \(peak))")
        #expect(peak <= ReleaseWriter.maxChunkBytesInFlight + chunkSize, "peak in flight \(peak)")
    }
}

/// A store whose puts take 20 ms and which records the most plaintext bytes being put at once.
final class SlowStore: StoreWrapper {
    let base: any ObjectStore
    private let state = Mutex<(current: Int, peak: Int)>((0, 0))

    init(base: InMemoryStore) { self.base = base }

    var peakBytesInFlight: Int { state.withLock { $0.peak } }

    func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        let bytes = try await body.readAll()
        state.withLock {
            $0.current += bytes.count
            $0.peak = max($0.peak, $0.current)
        }
        try await Task.sleep(for: .milliseconds(20))
        try await base.put(key, bytes: bytes)
        state.withLock { $0.current -= bytes.count }
    }

}

/// Bytes made on demand, so the source itself holds nothing.
final class GeneratedBytes: ByteReader {
    private var remaining: Int

    init(count: Int) { remaining = count }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        let count = min(maxCount, remaining)
        remaining -= count
        return [UInt8](repeating: UInt8(truncatingIfNeeded: remaining), count: count)
    }
}
