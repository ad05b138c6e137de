/// What a store knows about one object.
public struct ObjectInfo: Hashable, Sendable {
    public var key: String
    public var size: Int64

    public init(key: String, size: Int64) {
        self.key = key
        self.size = size
    }
}

/// A flat namespace of objects addressed by key: the bottom layer of every profile's stack.
///
/// Contract (every implementation passes the shared conformance suite that checks it):
/// * **Keys** are `/`-separated relative paths of printable UTF-8, no empty segment, no `.` or
///   `..` segment. Stores may reject other keys with `StorageError.invalidKey`.
/// * **put** is atomic and idempotent: a reader sees the old object or the whole new one, never
///   a partial one, and putting the same bytes twice is harmless. A failed put leaves no object
///   under the final name. It consumes `body` to its end.
/// * **get** of a missing key throws `StorageError.notFound`. A range is half-open
///   `lower..<upper` in bytes; an `upper` past the end is clipped; a `lower` past the end throws
///   `StorageError.invalidRange`. An empty range reads zero bytes.
/// * **head** returns `nil` for a missing key rather than throwing.
/// * **delete** is idempotent: deleting a missing key succeeds.
/// * **list** returns every object whose key starts with `prefix`, sorted by key, however many
///   there are (implementations page internally).
/// * **Errors**: every error thrown is a `StorageError`; `isRetryable` tells the retry layer
///   whether trying the same call again may succeed (time-outs, dropped connections, 5xx) or
///   not (missing object, refused credentials, full disk).
public protocol ObjectStore: Sendable {
    /// Stores the bytes of `body` under `key`, replacing any object there. `size`, when known,
    /// lets a store choose between a single request and a multipart upload up front. A store
    /// reads `body` only while `put` runs, never after it returns or throws: a chunk's body reads
    /// a `ChunkBuffer` that is reused for the next chunk as soon as `put` is done.
    func put(_ key: String, body: any ByteReader, size: Int64?) async throws

    /// Streams the object's bytes, or the bytes of `range` within it.
    func get(_ key: String, range: Range<Int64>?) async throws -> any ByteReader

    /// Size of the object, or `nil` when there is none.
    func head(_ key: String) async throws -> ObjectInfo?

    /// Removes the object; succeeds when there is none.
    func delete(_ key: String) async throws

    /// Every object whose key starts with `prefix`, sorted by key.
    func list(prefix: String) async throws -> [ObjectInfo]
}

extension ObjectStore {
    /// Stores bytes already in memory.
    public func put(_ key: String, bytes: [UInt8]) async throws {
        try await put(key, body: BytesReader(bytes), size: Int64(bytes.count))
    }

    /// Reads a whole object into memory. For small objects only (manifests, profile files).
    public func getAll(_ key: String) async throws -> [UInt8] {
        try await get(key, range: nil).readAll()
    }
}
