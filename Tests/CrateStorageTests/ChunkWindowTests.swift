import CrateCore
import Foundation
import Testing

@testable import CrateStorage

/// The release writer stores chunks concurrently (`ChunkWindow`); these check the promises that
/// concurrency must not break: events in chunk order, and every stored chunk reported even
/// when a put fails (a cancelled import deletes what was reported).
@Suite struct ChunkWindowTests {
    static let chunkSize = 256 * 1024
    static let spec = ProfileSpec(
        name: "window", location: .local(path: "/unused"), encrypted: true, chunked: true, chunkSize: chunkSize)

    @Test func chunkEventsComeInOrderWhateverOrderThePutsFinishIn() async throws {
        let base = InMemoryStore()
        let stack = try StorageStack.make(
            spec: Self.spec, dataKey: conformanceDataKey, store: ShufflingStore(base: base, failingPut: nil))
        let events = EventLog()
        let writer = try stack.makeWriter(release: Self.release) { await events.append($0) }
        let bytes = testBytes(count: 40 * Self.chunkSize + 1234, seed: 7)
        try await writer.writeFile(path: "a.flac", size: Int64(bytes.count), body: BytesReader(bytes))
        let manifest = try await writer.finish()

        let ordinals = await events.events.compactMap { event -> Int? in
            if case .objectStored(let object) = event, case .chunk(_, let ordinal) = object.kind { return ordinal }
            return nil
        }
        #expect(ordinals == Array(0..<41))
        #expect(manifest.chunks.map(\.ordinal) == Array(0..<41))
        let read = try await stack.openRelease(id: Self.release.id).readFile("a.flac").readAll()
        #expect(read == bytes)
    }

    @Test func aFailedPutStillReportsTheChunksOtherTasksStored() async throws {
        let base = InMemoryStore()
        let stack = try StorageStack.make(
            spec: Self.spec, dataKey: conformanceDataKey, store: ShufflingStore(base: base, failingPut: 5))
        let events = EventLog()
        let writer = try stack.makeWriter(release: Self.release) { await events.append($0) }
        let bytes = testBytes(count: 30 * Self.chunkSize, seed: 8)
        await #expect(throws: TestFailure.self) {
            try await writer.writeFile(path: "a.flac", size: Int64(bytes.count), body: BytesReader(bytes))
            _ = try await writer.finish()
        }
        let reported = Set(
            await events.events.compactMap { event -> String? in
                if case .objectStored(let object) = event { return object.key }
                return nil
            })
        let stored = Set(try await base.list(prefix: "objects/").map(\.key))
        #expect(stored == reported)
    }

    static let release = ReleaseInfo(
        id: "3f2a9c10-0000-4000-8000-0000000000aa", artist: "Alice Coltrane", title: "Journey in Satchidananda",
        year: 1971, extra: [:])
}

/// Delays each put by a random few milliseconds, so puts finish out of order; optionally
/// fails the put with the given sequence number (0-based).
private final class ShufflingStore: StoreWrapper, @unchecked Sendable {
    let base: any ObjectStore
    let failingPut: Int?
    private let lock = NSLock()
    private var puts = 0

    init(base: InMemoryStore, failingPut: Int?) {
        self.base = base
        self.failingPut = failingPut
    }

    func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        let number = lock.withLock {
            defer { puts += 1 }
            return puts
        }
        let bytes = try await body.readAll()
        try await Task.sleep(nanoseconds: UInt64.random(in: 0...5_000_000))
        if number == failingPut { throw TestFailure() }
        try await base.put(key, bytes: bytes)
    }

}
