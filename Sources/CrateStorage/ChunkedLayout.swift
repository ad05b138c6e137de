/// The release's files, sorted by path, laid end to end as one stream and cut into chunks of
/// `chunkSize` bytes; chunks are named by their content, so identical chunks are stored once
/// and a resumed import skips the chunks already there.
///
/// Every read goes through the file-chunk mapping; `ChunkGeometry` does all the arithmetic.
public struct ChunkedLayout: Sendable {
    public let geometry: ChunkGeometry

    public init(chunkSize: Int) { geometry = ChunkGeometry(chunkSize: Int64(chunkSize)) }

    public var chunkSize: Int { Int(geometry.chunkSize) }

    /// Stores one full (or final) chunk unless an object of the right size is already under
    /// its content-derived name. Returns the chunk's record and whether it was skipped. The
    /// chunk must not change until this returns.
    func storeChunk(_ chunk: ChunkBuffer, ordinal: Int, stack: StorageStack) async throws -> (ChunkRecord, Bool) {
        let id = stack.naming.chunkID(chunk.bytes)
        let key = ObjectNaming.opaqueKey(id: id)
        let plaintextSize = Int64(chunk.count)
        let storedSize = stack.codec.storedSize(plaintextSize: plaintextSize)
        let record = ChunkRecord(
            id: id, ordinal: ordinal, objectKey: key, storedSize: storedSize, plaintextSize: plaintextSize)
        if try await stack.store.head(key)?.size == storedSize { return (record, true) }
        try await stack.store.put(key, body: stack.codec.encode(chunk: chunk, objectName: key), size: storedSize)
        return (record, false)
    }

    /// The plaintext bytes `range` (already clipped to the file) of a stored file, read chunk
    /// by chunk through the mapping rows `rows` of that file.
    func read(
        _ file: ManifestFile, range: Range<Int64>, rows: [FileChunkPiece], chunks: [String: ChunkRecord],
        stack: StorageStack
    ) throws -> any ByteReader {
        let parts = try ChunkGeometry.pieces(of: rows, covering: range).map { piece, rangeInChunk in
            guard let chunk = chunks[piece.chunkID] else {
                throw StorageError.malformedDocument(
                    key: file.path, reason: "the mapping names chunk \(piece.chunkID), which the manifest lacks")
            }
            return { () async throws -> any ByteReader in
                try await stack.codec.decode(
                    from: stack.store, key: chunk.objectKey, range: rangeInChunk, plaintextSize: chunk.plaintextSize)
            }
        }
        return ConcatenatedReader(parts)
    }
}

/// How a profile lays a release's files out in objects.
public enum ReleaseLayout: Sendable {
    case wholeFile(WholeFileLayout)
    case chunked(ChunkedLayout)
}
