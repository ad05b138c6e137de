import Foundation

/// Stores the files of one release on one profile, streaming: files are given in order
/// (sorted by the UTF-8 bytes of their paths, see `ReleaseWriter.sorted`), each object is put
/// as soon as it is complete (a whole file, or a chunk once it fills) and reported through
/// `onEvent`, objects already stored are skipped, and `finish()` returns the manifest.
///
/// Objects are stored by a bounded window of concurrent tasks (`ObjectWindow`). Chunked layout:
/// while chunk n is named, sealed and put, the writer already reads and hashes the bytes of
/// chunk n + 1, so both cores work and a slow store has several requests in flight. Whole-file
/// layout: `writeFile` returns once the file's body has been read to its end, while its put
/// finishes (the last parts of an upload, the fsync of a local file) beside the next files'.
/// Events keep their order: `.objectStored`/`.objectSkipped` come in chunk order, or file
/// order; an object's event may come after the `.fileWritten` of its file (or of a file whose
/// bytes it holds, as it always could for the last, partial chunk) and of later files, and
/// every object's event comes before `.manifestStored`. When a put fails, the objects other
/// tasks finished storing are still reported before the error is thrown, so a cancelled import
/// can delete them.
///
/// Memory: at most `maxChunkBytesInFlight` of chunk plaintext in flight plus the chunk being
/// filled (chunked layout), in pooled `ChunkBuffer`s that the writer keeps until it is released
/// (as many as were ever in use at once). Whole-file layout: at most `maxFilesInFlight` puts, each streaming
/// its body (the store bounds what a put holds: a local put one piece, S3 puts all together
/// the client's upload budget) plus one read piece ahead.
public final class ReleaseWriter {
    public let release: ReleaseInfo
    private let stack: StorageStack
    private let onEvent: @Sendable (StorageEvent) async -> Void
    /// Whole-file objects an interrupted run stored: key → SHA-256 of their plaintext.
    private let resuming: [String: String]
    private var files: [ManifestFile] = []
    private var lastPath: String?
    // Chunked layout only.
    /// The chunk being filled, from `chunkPool`.
    private var chunk: ChunkBuffer?
    /// The files whose bytes are in `chunk`.
    private var chunkFiles: [String] = []
    private var chunkPool: ChunkBufferPool?
    /// Whether chunks are looked for before they are put (`ExistenceProbe`).
    private lazy var existenceProbe = ExistenceProbe(remote: stack.store.unwrap(as: LocalDirectoryStore.self) == nil)
    private var streamOffset: Int64 = 0
    private var chunks: [ChunkRecord] = []
    private var window = ObjectWindow<(record: ChunkRecord, skipped: Bool)>(
        maxBytes: ReleaseWriter.maxChunkBytesInFlight)
    // Whole-file layout only.
    private var fileWindow = ObjectWindow<StoredObject>(maxTasks: ReleaseWriter.maxFilesInFlight)
    private var spans: [(fileIndex: Int, span: ChunkGeometry.Span)] = []
    /// Ordinal of the next chunk handed to the window.
    private var chunkOrdinal = 0
    private var finished = false
    /// Set by `flush`: every object is stored, only the manifest remains.
    private var flushed = false
    /// Set when a write failed after changing the writer's state; the writer refuses more work.
    private var failed = false

    static let readPiece = 1 << 20

    /// Plaintext bytes of chunks in flight, at most (one chunk always fits, however large).
    /// 16 MiB is 4 chunks of the default 4 MiB: enough requests in flight to hide an object
    /// store's latency, few enough that memory stays flat whatever the release's size.
    static let maxChunkBytesInFlight = 16 << 20
    /// Whole-file puts in flight, at most. Only one of them reads its body at a time; the others
    /// are finishing (uploading their last parts, completing, fsyncing), so this bounds waiting,
    /// not memory.
    static let maxFilesInFlight = 8

    init(
        stack: StorageStack, release: ReleaseInfo, resuming: [String: String] = [:],
        onEvent: @escaping @Sendable (StorageEvent) async -> Void
    ) throws {
        try release.validate()
        self.stack = stack
        self.release = release
        self.resuming = resuming
        self.onEvent = onEvent
    }

    /// Paths in the order a writer takes them: by UTF-8 bytes.
    public static func sorted(_ paths: [String]) -> [String] { paths.sorted(by: ObjectKey.precedes) }

    /// Stores the next file from a reader that can be read once.
    @discardableResult
    public func writeFile(path: String, size: Int64?, body: any ByteReader) async throws -> ManifestFile {
        try await writeFile(path: path, size: size, source: .once(body))
    }

    /// Stores the next file. `size`, when known, is checked against the bytes read: a file that
    /// changes while being read fails with `fileSizeChanged` before its object is complete.
    /// `open` gives the file's bytes from their start, each time it is called.
    ///
    /// Resume is decided here, whatever the caller: the chunked layout skips every chunk whose
    /// content-named object is there with its size. The whole-file layout keeps an object that
    /// the interrupted run recorded (`resuming`), when it is there with the stored size of
    /// `size` and the file still has the recorded content: `sha256` when the caller knows it
    /// (a copy, from the source's manifest), else the SHA-256 of the file read through `open`.
    /// A file that changed since is stored again, read from the start a second time.
    @discardableResult
    public func writeFile(
        path: String, size: Int64?, sha256: String? = nil, open: @escaping () async throws -> any ByteReader
    ) async throws -> ManifestFile {
        try await writeFile(path: path, size: size, source: .reopenable(open, sha256: sha256))
    }

    /// Where a file's bytes come from.
    private enum FileSource {
        case once(any ByteReader)
        case reopenable(() async throws -> any ByteReader, sha256: String?)

        func open() async throws -> any ByteReader {
            switch self {
            case .once(let reader): reader
            case .reopenable(let open, _): try await open()
            }
        }
    }

    private func writeFile(path: String, size: Int64?, source: FileSource) async throws -> ManifestFile {
        precondition(!finished && !flushed, "writeFile after flush or finish")
        guard !failed else { throw StorageError.writerFailed(release: release.id) }
        do { try ObjectKey.validate(path) } catch { throw StorageError.invalidFilePath(path) }
        if let lastPath, !ObjectKey.precedes(lastPath, path) {
            throw StorageError.filesOutOfOrder(previous: lastPath, next: path)
        }
        lastPath = path
        do {
            let file = try await store(path: path, size: size, source: source)
            files.append(file)
            await onEvent(.fileWritten(file))
            return file
        } catch {
            failed = true
            await cancelAll()
            throw error
        }
    }

    private func store(path: String, size: Int64?, source: FileSource) async throws -> ManifestFile {
        switch stack.layout {
        case .wholeFile(let layout):
            if let kept = try await keepStoredFile(path: path, size: size, source: source) { return kept }
            return try await startFilePut(path: path, size: size, body: try await source.open(), layout: layout)
        case .chunked(let layout):
            return try await appendToStream(path: path, size: size, body: try await source.open(), layout: layout)
        }
    }

    /// The entry of a file an interrupted run stored, when its object is still there and
    /// holds what the file holds now (see `writeFile(path:size:sha256:open:)`).
    private func keepStoredFile(path: String, size: Int64?, source: FileSource) async throws -> ManifestFile? {
        let key = stack.naming.fileKey(release: release, path: path)
        guard case .reopenable(let open, let known) = source, let recorded = resuming[key], let size else {
            return nil
        }
        let storedSize = stack.codec.storedSize(plaintextSize: size)
        guard try await stack.store.head(key)?.size == storedSize else { return nil }
        var sha256 = known
        if sha256 == nil {
            let hashing = HashingReader(try await open(), path: path, expected: size)
            while try await !hashing.read(upTo: Self.readPiece).isEmpty {}
            sha256 = hashing.finalHex()
        }
        guard sha256 == recorded else { return nil }
        // Its event follows those of the files before it.
        while !fileWindow.isEmpty { try await completeOldestFile() }
        let object = StoredObject(
            key: key, kind: .file(path: path, index: files.count, sha256: recorded), plaintextSize: size,
            storedSize: storedSize)
        await onEvent(.objectSkipped(object))
        return ManifestFile(
            index: files.count, path: path, size: size, sha256: recorded, objectKey: key, storedSize: storedSize)
    }

    /// Starts the put of one whole file and returns the file's entry as soon as its body has been
    /// read to its end; the put finishes in the file window while the caller reads the next file.
    private func startFilePut(path: String, size: Int64?, body: any ByteReader, layout: WholeFileLayout)
        async throws -> ManifestFile
    {
        while !fileWindow.hasRoom(for: 0) { try await completeOldestFile() }
        let key = stack.naming.fileKey(release: release, path: path)
        let end = BodyEnd()
        let source = ReaderBox(body)
        let stack = stack
        let cell = files.count
        let onEvent = onEvent
        let task = fileWindow.start(bytes: 0) {
            defer { end.resolve(nil) }
            // Bound as the optional the task local holds (see `ObjectPut.observed`).
            let bound: Int? = cell
            return try await ObjectPut.$cell.withValue(bound) {
                try await layout.write(
                    path: path, key: key, size: size, body: source.reader, stack: stack, cell: cell, onEvent: onEvent
                ) { end.resolve(($0, $1)) }
            }
        }
        let ended = await withTaskCancellationHandler {
            await end.wait()
        } onCancel: {
            task.cancel()
        }
        guard let (count, sha256) = ended else {
            // The put ended before its body did: it failed, and completing the window throws its
            // error (after reporting the files stored before it).
            while !fileWindow.isEmpty { try await completeOldestFile() }
            throw StorageError.writerFailed(release: release.id)
        }
        while fileWindow.oldestHasFinished { try await completeOldestFile() }
        return ManifestFile(
            index: files.count, path: path, size: count, sha256: sha256, objectKey: key,
            storedSize: stack.codec.storedSize(plaintextSize: count))
    }

    /// Waits for the oldest file put in flight and reports it; on failure, reports the files the
    /// other puts did store and rethrows.
    private func completeOldestFile() async throws {
        do {
            await onEvent(.objectStored(try await fileWindow.completeOldest()))
        } catch {
            await cancelAll()
            throw error
        }
    }

    /// Gives up: cancels every put in flight, waits for them, and reports those that stored
    /// their object anyway. The writer refuses more work. For a caller that stops between
    /// files (a cancel, a source file that changed): no put outlives it.
    public func cancel() async {
        failed = true
        await cancelAll()
    }

    /// Cancels every put in flight and reports those that stored their object anyway.
    private func cancelAll() async {
        for (record, skipped) in await window.cancelAll() { await reportChunk(record, skipped: skipped) }
        for object in await fileWindow.cancelAll() { await onEvent(.objectStored(object)) }
    }

    private func appendToStream(path: String, size: Int64?, body: any ByteReader, layout: ChunkedLayout)
        async throws -> ManifestFile
    {
        let hashing = HashingReader(body, path: path, expected: size)
        let start = streamOffset
        while true {
            let chunk = currentChunk(layout)
            let read = try await hashing.read(into: chunk, upTo: Self.readPiece)
            if read == 0 { break }
            if chunkFiles.last != path { chunkFiles.append(path) }
            streamOffset += Int64(read)
            if chunk.room == 0 { try await flushChunk(layout) }
        }
        let index = files.count
        for span in layout.geometry.spans(streamOffset: start, length: hashing.count) {
            spans.append((index, span))
        }
        return ManifestFile(
            index: index, path: path, size: hashing.count, sha256: hashing.finalHex(), objectKey: nil, storedSize: nil)
    }

    /// The chunk being filled; a buffer from the pool when none is.
    private func currentChunk(_ layout: ChunkedLayout) -> ChunkBuffer {
        if let chunk { return chunk }
        let pool = chunkPool ?? ChunkBufferPool(capacity: layout.chunkSize)
        chunkPool = pool
        let chunk = pool.take()
        self.chunk = chunk
        return chunk
    }

    /// Hands the full (or final) chunk to the window, first waiting for the oldest chunks in
    /// flight while the window is full. Its buffer goes back to the pool once it is stored.
    private func flushChunk(_ layout: ChunkedLayout) async throws {
        guard let chunk, let pool = chunkPool else { return }
        self.chunk = nil
        let files = chunkFiles
        chunkFiles = []
        while !window.hasRoom(for: chunk.count) { try await completeOldestChunk() }
        let ordinal = chunkOrdinal
        chunkOrdinal += 1
        let stack = stack
        let onEvent = onEvent
        let probe = existenceProbe
        window.start(bytes: chunk.count) {
            defer { pool.recycle(chunk) }
            let bound: Int? = ordinal
            return try await ObjectPut.$cell.withValue(bound) {
                try await layout.storeChunk(
                    chunk, ordinal: ordinal, files: files, stack: stack, probe: probe, onEvent: onEvent)
            }
        }
        while window.oldestHasFinished { try await completeOldestChunk() }
    }

    /// Waits for the oldest chunk in flight and reports it. On failure, reports the chunks the
    /// other tasks did store (see the type's comment) and rethrows.
    private func completeOldestChunk() async throws {
        do {
            let (record, skipped) = try await window.completeOldest()
            await reportChunk(record, skipped: skipped)
        } catch {
            await cancelAll()
            throw error
        }
    }

    private func reportChunk(_ record: ChunkRecord, skipped: Bool) async {
        chunks.append(record)
        let object = StoredObject(
            key: record.objectKey, kind: .chunk(id: record.id, ordinal: record.ordinal),
            plaintextSize: record.plaintextSize, storedSize: record.storedSize)
        await onEvent(skipped ? .objectSkipped(object) : .objectStored(object))
    }

    /// Waits for every object in flight and reports it: a checkpoint after which every object
    /// put so far has been through `onEvent` (the last, partial chunk stays buffered).
    public func drain() async throws {
        do {
            while !window.isEmpty { try await completeOldestChunk() }
            while !fileWindow.isEmpty { try await completeOldestFile() }
        } catch {
            failed = true
            throw error
        }
    }

    /// Stores the last, partial chunk and waits until every object is stored and reported:
    /// after it only the manifest remains (`finish`), and no file can be added. An importer
    /// calls it to end its transfer stage when the store has acknowledged the last object.
    public func flush() async throws {
        guard !failed else { throw StorageError.writerFailed(release: release.id) }
        flushed = true
        do {
            if case .chunked(let layout) = stack.layout, let chunk, chunk.count > 0 { try await flushChunk(layout) }
            while !window.isEmpty { try await completeOldestChunk() }
            while !fileWindow.isEmpty { try await completeOldestFile() }
            // A cancelled import stores no manifest, even when its last objects landed.
            try Task.checkCancellation()
        } catch {
            failed = true
            throw error
        }
    }

    /// Stores what is left (`flush`), builds the manifest (files, chunks and the file-chunk
    /// mapping) and, unless `storeManifest` is false, puts it at `manifests/<release id>`.
    public func finish(storeManifest: Bool = true, created: Date = Date()) async throws -> ReleaseManifest {
        precondition(!finished, "finish called twice")
        try await flush()
        finished = true
        var chunkSize: Int?
        var mapping: [FileChunkPiece] = []
        if case .chunked(let layout) = stack.layout {
            chunkSize = layout.chunkSize
            var pieceCounts: [Int: Int] = [:]
            for (fileIndex, span) in spans {
                let chunkIndex = pieceCounts[fileIndex, default: 0]
                pieceCounts[fileIndex] = chunkIndex + 1
                mapping.append(
                    FileChunkPiece(
                        fileIndex: fileIndex, chunkID: chunks[span.chunkOrdinal].id, chunkIndex: chunkIndex,
                        byteOffset: span.offsetInChunk, byteLength: span.length))
            }
        }
        let manifest = ReleaseManifest(
            release: release, encrypted: stack.codec.isSealed, chunkSize: chunkSize, files: files, chunks: chunks,
            mapping: mapping, created: created)
        if storeManifest {
            try await stack.storeManifest(manifest)
            await onEvent(.manifestStored(key: manifest.objectKey))
        }
        return manifest
    }
}
