import Foundation
import Synchronization

/// An `ObjectStore` held in memory, for tests (restic's `mem` backend).
public final class InMemoryStore: ObjectStore, Sendable {
    private let objects = Mutex<[String: [UInt8]]>([:])

    public init() {}

    public func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        try ObjectKey.validate(key)
        // Read the body fully before publishing: a failing body leaves the old object in place.
        let bytes = try await body.readAll()
        objects.withLock { $0[key] = bytes }
    }

    public func get(_ key: String, range: Range<Int64>?) async throws -> any ByteReader {
        try ObjectKey.validate(key)
        guard let bytes = objects.withLock({ $0[key] }) else { throw StorageError.notFound(key: key) }
        guard let range else { return BytesReader(bytes) }
        let size = Int64(bytes.count)
        guard range.lowerBound <= size else {
            throw StorageError.invalidRange(key: key, range: range, size: size)
        }
        let upper = min(range.upperBound, size)
        return BytesReader(Array(bytes[Int(range.lowerBound)..<Int(upper)]))
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        try ObjectKey.validate(key)
        return objects.withLock { $0[key].map { ObjectInfo(key: key, size: Int64($0.count)) } }
    }

    public func delete(_ key: String) async throws {
        try ObjectKey.validate(key)
        _ = objects.withLock { $0.removeValue(forKey: key) }
    }

    public func list(prefix: String) async throws -> [ObjectInfo] {
        let all = objects.withLock { $0 }
        return all.filter { $0.key.hasPrefix(prefix) }
            .map { ObjectInfo(key: $0.key, size: Int64($0.value.count)) }
            .sorted { ObjectKey.precedes($0.key, $1.key) }
    }

    /// Replaces an object's bytes without the checks of `put`: tests use it to tamper.
    public func overwriteRaw(_ key: String, bytes: [UInt8]) {
        objects.withLock { $0[key] = bytes }
    }
}
