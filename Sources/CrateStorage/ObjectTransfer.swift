import Synchronization

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

/// Puts one object while reporting it: `.putStarted`, `.putSent` as the store sends its bytes
/// (a local store as it writes them, S3 as the connection takes them), then `.putConfirmed`
/// once the store has acknowledged it (S3 answered the request; a local file is synced and in
/// place), or `.putFailed`. The writer makes the object's cell the task-local `ObjectPut.cell`
/// while it is stored, so a retry reported deep in a store's client can name the object.
public enum ObjectPut {
    /// The cell of the object the current task is putting (see `ObjectTransfer.cell`).
    @TaskLocal public static var cell: Int?
    /// Hears the bytes the current put sends (stores call it; `nil` outside a reported put).
    @TaskLocal static var meter: SentMeter?

    static func observed(
        _ transfer: ObjectTransfer, body: any ByteReader, onEvent: @escaping @Sendable (StorageEvent) async -> Void,
        put: (any ByteReader) async throws -> StoredObject
    ) async throws -> StoredObject {
        await onEvent(.putStarted(transfer))
        // Task locals are bound to values of their own optional type, made here: handing
        // `withValue` a value to convert made the optimiser free the converted temporary out of
        // the task allocator's order, and the next binding (S3Store's) crashed in
        // `swift_task_localValuePush` on every chunked upload of a release build (Swift 6.3.1).
        let meter: SentMeter? = SentMeter(cell: transfer.cell, total: transfer.storedSize, onEvent: onEvent)
        let object: StoredObject
        do {
            object = try await $meter.withValue(meter) { try await put(body) }
        } catch {
            await onEvent(.putFailed(cell: transfer.cell, reason: String(describing: error)))
            throw error
        }
        await onEvent(.putConfirmed(cell: transfer.cell, object))
        return object
    }
}

/// Counts the bytes one put has sent and reports them, every `step` bytes and at the end
/// (a retried request sends its bytes again: the count stays within the object's size).
final class SentMeter: Sendable {
    private let cell: Int
    private let total: Int64?
    private let onEvent: @Sendable (StorageEvent) async -> Void
    private let counts = Mutex<(sent: Int64, reported: Int64)>((0, 0))
    static let step: Int64 = 128 << 10

    init(cell: Int, total: Int64?, onEvent: @escaping @Sendable (StorageEvent) async -> Void) {
        self.cell = cell
        self.total = total
        self.onEvent = onEvent
    }

    func add(_ count: Int) {
        let report: Int64? = counts.withLock { counts in
            counts.sent += Int64(count)
            if let total { counts.sent = min(counts.sent, total) }
            guard counts.sent - counts.reported >= Self.step || counts.sent == total else { return nil }
            counts.reported = counts.sent
            return counts.sent
        }
        guard let report else { return }
        let (cell, onEvent) = (cell, onEvent)
        // Stores call this from where they write (an HTTP body stream, a write loop), which may
        // not wait: the event follows on its own; the tracker keeps the largest count it hears.
        Task { await onEvent(.putSent(cell: cell, bytes: report)) }
    }
}
