/// A store that hands every request to `base`: a wrapper (pacing, counting, failing on purpose
/// in tests) implements only the requests it changes.
public protocol StoreWrapper: ObjectStore {
    var base: any ObjectStore { get }
}

extension StoreWrapper {
    public func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        try await base.put(key, body: body, size: size)
    }

    public func get(_ key: String, range: Range<Int64>?) async throws -> any ByteReader {
        try await base.get(key, range: range)
    }

    public func head(_ key: String) async throws -> ObjectInfo? { try await base.head(key) }

    public func delete(_ key: String) async throws { try await base.delete(key) }

    public func list(prefix: String) async throws -> [ObjectInfo] { try await base.list(prefix: prefix) }
}
