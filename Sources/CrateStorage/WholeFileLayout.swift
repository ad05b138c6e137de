/// One object per file: the file's plaintext, encoded, under a name from `ObjectNaming`.
public struct WholeFileLayout: Sendable {
    public init() {}

    /// Stores one file and returns its manifest entry and the object it made.
    func write(
        path: String, index: Int, size: Int64?, body: any ByteReader, release: ReleaseInfo, stack: StorageStack
    ) async throws -> (ManifestFile, StoredObject) {
        let key = stack.naming.fileKey(release: release, path: path)
        let hashing = HashingReader(body, path: path, expected: size)
        // Reading and hashing the file runs one piece ahead of sealing and writing it.
        let encoded = stack.codec.encode(ReadAheadReader(hashing), objectName: key)
        try await stack.store.put(key, body: encoded, size: size.map { stack.codec.storedSize(plaintextSize: $0) })
        let storedSize = stack.codec.storedSize(plaintextSize: hashing.count)
        let file = ManifestFile(
            index: index, path: path, size: hashing.count, sha256: hashing.finalHex(), objectKey: key,
            storedSize: storedSize)
        let object = StoredObject(
            key: key, kind: .file(path: path), plaintextSize: hashing.count, storedSize: storedSize)
        return (file, object)
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
