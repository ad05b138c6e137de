import Synchronization

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
    /// its content-derived name (asked when `probe` says so). Returns the chunk's record and
    /// whether it was skipped. The chunk must not change until this returns. A put is reported
    /// through `onEvent` (`ObjectPut`); `files` are those whose bytes the chunk holds.
    func storeChunk(
        _ chunk: ChunkBuffer, ordinal: Int, files: [String], stack: StorageStack, probe: ExistenceProbe,
        onEvent: @escaping @Sendable (StorageEvent) async -> Void
    ) async throws -> (ChunkRecord, Bool) {
        let id = stack.naming.chunkID(chunk.bytes)
        let key = ObjectNaming.opaqueKey(id: id)
        let plaintextSize = Int64(chunk.count)
        let storedSize = stack.codec.storedSize(plaintextSize: plaintextSize)
        let record = ChunkRecord(
            id: id, ordinal: ordinal, objectKey: key, storedSize: storedSize, plaintextSize: plaintextSize)
        if probe.shouldAsk {
            let found = try await stack.store.head(key)?.size == storedSize
            probe.record(found: found)
            if found { return (record, true) }
        }
        let transfer = ObjectTransfer(cell: ordinal, key: key, files: files, storedSize: storedSize)
        let object = StoredObject(
            key: key, kind: .chunk(id: id, ordinal: ordinal), plaintextSize: plaintextSize, storedSize: storedSize)
        _ = try await ObjectPut.observed(
            transfer, body: stack.codec.encode(chunk: chunk, objectName: key), onEvent: onEvent
        ) { body in
            try await stack.store.put(key, body: body, size: storedSize)
            return object
        }
        return (record, false)
    }

    /// The plaintext bytes `range` (already clipped to the file) of a stored file, read chunk
    /// by chunk through the mapping rows `rows` of that file.
    ///
    /// No byte leaves unchecked, ranged reads included: a sealed chunk is authenticated
    /// segment by segment by its codec; a plain chunk is read whole and compared with its id
    /// (its SHA-256) before any of it is handed on, so a flipped byte fails the read naming
    /// the release, file and chunk instead of reaching the caller.
    func read(
        _ file: ManifestFile, range: Range<Int64>, rows: [FileChunkPiece], chunks: [String: ChunkRecord],
        releaseID: String, stack: StorageStack, shared: SharedChunkReads
    ) throws -> any ByteReader {
        let parts = try ChunkGeometry.pieces(of: rows, covering: range).map { piece, rangeInChunk in
            guard let chunk = chunks[piece.chunkID] else {
                throw StorageError.malformedDocument(
                    key: file.path, reason: "the mapping names chunk \(piece.chunkID), which the manifest lacks")
            }
            if stack.codec.isSealed {
                return { () async throws -> any ByteReader in
                    try await stack.codec.decode(
                        from: stack.store, key: chunk.objectKey, range: rangeInChunk, plaintextSize: chunk.plaintextSize
                    )
                }
            }
            // Made only when a chunk fails its check, not for every chunk read.
            func mismatch() -> StorageError {
                .chunkMismatch(
                    release: releaseID, path: file.path,
                    chunk: String(chunk.objectKey.split(separator: "/").last ?? ""), key: chunk.objectKey)
            }
            return { () async throws -> any ByteReader in
                // A chunk two files share (or one occurring twice) is fetched once (`SharedChunkReads`).
                let bytes = try await shared.bytes(key: chunk.objectKey) {
                    // The whole object, without a Range: a server slices nothing (moto copies
                    // the object for every ranged GET).
                    let bytes = try await stack.codec.decode(
                        from: stack.store, key: chunk.objectKey, range: nil, plaintextSize: chunk.plaintextSize
                    ).readFully(Int(chunk.plaintextSize))
                    // A plain chunk's object name is made from the SHA-256 of its bytes; compare with
                    // the name (a manifest rebuilt from the catalog knows a chunk by its key only).
                    guard ObjectNaming.opaqueKey(id: stack.naming.chunkID(bytes)) == chunk.objectKey else {
                        throw mismatch()
                    }
                    return bytes
                }
                // Checked for this record (a manifest may name one object with two sizes).
                guard bytes.count == chunk.plaintextSize, rangeInChunk.upperBound <= bytes.count else {
                    throw mismatch()
                }
                if rangeInChunk == 0..<chunk.plaintextSize { return BytesReader(bytes) }
                return BytesReader(Array(bytes[Int(rangeInChunk.lowerBound)..<Int(rangeInChunk.upperBound)]))
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

/// Whether a release's writer still asks the store if a chunk is there before putting it.
///
/// Asking is what skips chunks already stored (a resumed import, a release another catalog
/// shares the store with, identical chunks), and it is free on a local folder. On a remote
/// store it is a request per chunk, and a release of new music finds nothing: once the first
/// `missesBeforeStopping` answers were all "no", the writer stops asking and puts each chunk
/// (a chunk that was there after all is stored again: bytes, never correctness). One "yes" and
/// it asks for every chunk.
final class ExistenceProbe: Sendable {
    static let missesBeforeStopping = 8

    private let remote: Bool
    private let answers = Mutex<(hits: Int, misses: Int)>((0, 0))

    init(remote: Bool) { self.remote = remote }

    var shouldAsk: Bool {
        guard remote else { return true }
        return answers.withLock { $0.hits > 0 || $0.misses < Self.missesBeforeStopping }
    }

    func record(found: Bool) {
        answers.withLock { answers in
            if found { answers.hits += 1 } else { answers.misses += 1 }
        }
    }
}
