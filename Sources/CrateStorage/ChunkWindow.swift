import Foundation

/// The chunks a `ReleaseWriter` is storing concurrently: a FIFO of tasks, each naming, sealing
/// and putting one chunk, bounded by the plaintext bytes they hold.
///
/// Completion is taken in start order, so the writer reports chunks in order however the
/// tasks finish. Tasks run on the global executor: with two cores, one task seals and writes
/// while the writer reads and hashes the next chunk.
struct ChunkWindow {
    /// Plaintext bytes of chunks in flight, at most (one chunk always fits, however large).
    /// 16 MiB is 4 chunks of the default 4 MiB: enough requests in flight to hide an object
    /// store's latency, few enough that memory stays flat whatever the release's size.
    static let maxBytesInFlight = 16 << 20

    typealias Result = (record: ChunkRecord, skipped: Bool)
    private var tasks: [(bytes: Int, task: Task<Result, any Error>, completion: Completion)] = []
    private var bytesInFlight = 0

    var isEmpty: Bool { tasks.isEmpty }

    /// Whether the oldest chunk in flight has finished (stored or failed), so that taking it
    /// will not wait: lets the writer report chunks as they land rather than when it blocks.
    var oldestHasFinished: Bool { tasks.first?.completion.isDone ?? false }

    /// Whether a chunk of `bytes` may start now.
    func hasRoom(for bytes: Int) -> Bool {
        tasks.isEmpty || bytesInFlight + bytes <= Self.maxBytesInFlight
    }

    /// Starts storing one chunk.
    mutating func start(bytes: Int, _ work: @escaping @Sendable () async throws -> Result) {
        let completion = Completion()
        let task = Task {
            defer { completion.markDone() }
            return try await work()
        }
        tasks.append((bytes, task, completion))
        bytesInFlight += bytes
    }

    /// Waits for the oldest chunk in flight; cancelling the caller cancels it.
    mutating func completeOldest() async throws -> Result {
        let (bytes, task, _) = tasks.removeFirst()
        bytesInFlight -= bytes
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Cancels every chunk in flight, waits for all of them, and returns those that were
    /// stored anyway (their put finished before the cancel), in order.
    mutating func cancelAll() async -> [Result] {
        let pending = tasks
        tasks = []
        bytesInFlight = 0
        for (_, task, _) in pending { task.cancel() }
        var stored: [Result] = []
        for (_, task, _) in pending {
            if let result = try? await task.value { stored.append(result) }
        }
        return stored
    }
}

/// Set by a chunk's task when it ends; read by the writer without waiting.
private final class Completion: @unchecked Sendable {
    // Guarded by `lock`.
    private var done = false
    private let lock = NSLock()

    var isDone: Bool { lock.withLock { done } }

    func markDone() { lock.withLock { done = true } }
}
