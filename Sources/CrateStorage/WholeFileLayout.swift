/// One object per file: the file's plaintext, encoded, under a name from `ObjectNaming`.
public struct WholeFileLayout: Sendable {
    public init() {}

    /// Stores one file under `key` and returns the object it made. `onBodyEnd` hears the file's
    /// size and SHA-256 (hex) as soon as `body` has been read to its end, while the put may still
    /// be finishing (the last parts of an upload, an fsync). Every store reads a body to its end
    /// before its put returns, so a put that succeeds has called it, exactly once.
    /// The put is reported through `onEvent` (`ObjectPut`) as object `cell`.
    func write(
        path: String, key: String, size: Int64?, body: any ByteReader, stack: StorageStack, cell: Int,
        onEvent: @escaping @Sendable (StorageEvent) async -> Void, onBodyEnd: @escaping (Int64, String) -> Void
    ) async throws -> StoredObject {
        let hashing = HashingReader(body, path: path, expected: size, onEnd: onBodyEnd)
        // Reading and hashing the file runs one piece ahead of sealing and writing it.
        let encoded = stack.codec.encode(ReadAheadReader(hashing), objectName: key)
        let expected = size.map { stack.codec.storedSize(plaintextSize: $0) }
        let transfer = ObjectTransfer(cell: cell, key: key, files: [path], storedSize: expected)
        return try await ObjectPut.observed(transfer, body: encoded, onEvent: onEvent) { body in
            try await stack.store.put(key, body: body, size: expected)
            let storedSize = stack.codec.storedSize(plaintextSize: hashing.count)
            return StoredObject(
                key: key, kind: .file(path: path, index: cell, sha256: hashing.finalHex()),
                plaintextSize: hashing.count,
                storedSize: storedSize)
        }
    }

    /// The plaintext bytes `range` (already clipped to the file) of a stored file.
    func read(_ file: ManifestFile, range: Range<Int64>, stack: StorageStack) async throws -> any ByteReader {
        guard let key = file.objectKey else {
            throw StorageError.malformedDocument(key: file.path, reason: "no object")
        }
        let whole = range == 0..<file.size
        return try await stack.codec.decode(
            from: stack.store, key: key, range: whole ? nil : range, plaintextSize: file.size)
    }
}
