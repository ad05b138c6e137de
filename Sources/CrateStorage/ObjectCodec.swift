/// Turns plaintext into the bytes of a stored object and back: the middle layer of a stack.
///
/// Contract: `decode(encode(p, name), name) == p` for every plaintext; `storedSize` is exact;
/// a range decode returns the plaintext bytes `range` (clipped at the end, `invalidRange` when
/// it starts past the end) and fetches only what covers it.
public protocol ObjectCodec: Sendable {
    /// Whether objects are encrypted (names must then be opaque, docs/storage-format.md).
    var isSealed: Bool { get }

    /// Size of the object that stores a plaintext of this size.
    func storedSize(plaintextSize: Int64) -> Int64

    /// A reader yielding the stored object's bytes as `plaintext` is pulled through it.
    func encode(_ plaintext: any ByteReader, objectName: String) -> any ByteReader

    /// A reader yielding the stored object of a chunk held in memory. The buffer must not
    /// change while the reader is used. The default pulls it through `encode(_:objectName:)`.
    func encode(chunk: ChunkBuffer, objectName: String) -> any ByteReader

    /// Reads the object `key` from `store` and yields its plaintext, or the plaintext bytes of
    /// `range`. `plaintextSize`, when the caller knows it (from a manifest), spares a `head`
    /// and turns a short object into `StorageError.truncated`.
    func decode(from store: any ObjectStore, key: String, range: Range<Int64>?, plaintextSize: Int64?)
        async throws -> any ByteReader
}

extension ObjectCodec {
    public func encode(chunk: ChunkBuffer, objectName: String) -> any ByteReader {
        encode(ChunkBufferReader(chunk), objectName: objectName)
    }

    /// Encodes and stores a small document (manifest) under `key`.
    public func putDocument(_ bytes: [UInt8], key: String, in store: any ObjectStore) async throws {
        let size = storedSize(plaintextSize: Int64(bytes.count))
        try await store.put(key, body: encode(BytesReader(bytes), objectName: key), size: size)
    }

    /// Reads and decodes a small document, or returns `nil` when there is none.
    public func getDocument(key: String, in store: any ObjectStore) async throws -> [UInt8]? {
        do {
            return try await decode(from: store, key: key, range: nil, plaintextSize: nil).readAll()
        } catch StorageError.notFound {
            return nil
        }
    }
}
