/// One object on its way to the store, as progress reports it.
public struct ObjectTransfer: Hashable, Sendable {
    /// Its place among the release's objects: a chunk's ordinal in the release stream
    /// (chunked layout) or a file's index in path order (whole-file layout).
    public var cell: Int
    public var key: String
    /// The files whose bytes it holds, in stream order.
    public var files: [String]
    /// Its stored size, when known before its body is read (always for chunks; for a whole file,
    /// when the caller gave the file's size).
    public var storedSize: Int64?

    public init(cell: Int, key: String, files: [String], storedSize: Int64?) {
        self.cell = cell
        self.key = key
        self.files = files
        self.storedSize = storedSize
    }
}

/// Puts one object while reporting it: `.putStarted`, `.putSent` as the store takes its body,
/// then `.putConfirmed` once the store has acknowledged it (S3 answered the request; a local
/// file is synced and in place), or `.putFailed`. The writer makes the object's cell the
/// task-local `ObjectPut.cell` while it is stored, so a retry reported deep in a store's
/// client can name the object it concerns.
public enum ObjectPut {
    /// The cell of the object the current task is putting (see `ObjectTransfer.cell`).
    @TaskLocal public static var cell: Int?

    /// Bytes of a body handed on between two `.putSent` events, at least (and at its end).
    static let sentStep: Int64 = 128 << 10

    static func observed(
        _ transfer: ObjectTransfer, body: any ByteReader, onEvent: @escaping @Sendable (StorageEvent) async -> Void,
        put: (any ByteReader) async throws -> StoredObject
    ) async throws -> StoredObject {
        await onEvent(.putStarted(transfer))
        let object: StoredObject
        do {
            object = try await put(SentCountingReader(body, cell: transfer.cell, onEvent: onEvent))
        } catch {
            await onEvent(.putFailed(cell: transfer.cell, reason: String(describing: error)))
            throw error
        }
        await onEvent(.putConfirmed(cell: transfer.cell, object))
        return object
    }
}

/// Passes a put's body through, reporting how much of it the store has taken.
private final class SentCountingReader: ByteReader {
    private let inner: any ByteReader
    private let cell: Int
    private let onEvent: @Sendable (StorageEvent) async -> Void
    private var count: Int64 = 0
    private var reported: Int64 = 0

    init(_ inner: any ByteReader, cell: Int, onEvent: @escaping @Sendable (StorageEvent) async -> Void) {
        self.inner = inner
        self.cell = cell
        self.onEvent = onEvent
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        let piece = try await inner.read(upTo: maxCount)
        count += Int64(piece.count)
        if count > reported && (piece.isEmpty || count - reported >= ObjectPut.sentStep) {
            reported = count
            await onEvent(.putSent(cell: cell, bytes: count))
        }
        return piece
    }
}
