import Foundation
import Synchronization

/// Wraps any `ObjectStore` and counts requests and bytes moved, for tests and benchmarks.
///
/// Bytes read are counted as the returned readers are consumed, so a reader that is dropped
/// early counts only what was pulled.
public final class CountingStore: StoreWrapper, Sendable {
    /// A snapshot of the counters.
    public struct Counts: Hashable, Sendable {
        public var puts = 0
        public var gets = 0
        public var rangedGets = 0
        public var heads = 0
        public var deletes = 0
        public var lists = 0
        public var bytesWritten: Int64 = 0
        public var bytesRead: Int64 = 0

        public init() {}
    }

    public let base: any ObjectStore
    private let current = Mutex(Counts())

    public init(wrapping base: any ObjectStore) { self.base = base }

    /// The counts so far.
    public var counts: Counts { current.withLock { $0 } }

    /// Sets every counter back to zero.
    public func reset() { current.withLock { $0 = Counts() } }

    func record(_ change: (inout Counts) -> Void) { current.withLock { change(&$0) } }

    public func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        record { $0.puts += 1 }
        try await base.put(key, body: CountingReader(body, store: self, isWrite: true), size: size)
    }

    public func get(_ key: String, range: Range<Int64>?) async throws -> any ByteReader {
        record {
            $0.gets += 1
            if range != nil { $0.rangedGets += 1 }
        }
        return CountingReader(try await base.get(key, range: range), store: self, isWrite: false)
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        record { $0.heads += 1 }
        return try await base.head(key)
    }

    public func delete(_ key: String) async throws {
        record { $0.deletes += 1 }
        try await base.delete(key)
    }

    public func list(prefix: String) async throws -> [ObjectInfo] {
        record { $0.lists += 1 }
        return try await base.list(prefix: prefix)
    }
}

/// Passes bytes through and adds their count to a `CountingStore`.
private final class CountingReader: ByteReader {
    private let inner: any ByteReader
    private let store: CountingStore
    private let isWrite: Bool

    init(_ inner: any ByteReader, store: CountingStore, isWrite: Bool) {
        self.inner = inner
        self.store = store
        self.isWrite = isWrite
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        let piece = try await inner.read(upTo: maxCount)
        let count = Int64(piece.count)
        if isWrite {
            store.record { $0.bytesWritten += count }
        } else {
            store.record { $0.bytesRead += count }
        }
        return piece
    }
}
