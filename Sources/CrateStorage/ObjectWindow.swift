import Foundation
import Synchronization

/// The objects a `ReleaseWriter` is storing concurrently: a FIFO of tasks, each storing one
/// object (a chunk, or a whole file), bounded by the bytes they hold and by their number.
///
/// Completion is taken in start order, so the writer reports objects in order however the
/// tasks finish. Tasks run on the global executor: with two cores, one task seals and writes
/// while the writer reads and hashes the next chunk, or reads the next file.
struct ObjectWindow<Value: Sendable> {
    /// Bytes held by tasks in flight, at most (one task always fits, however large).
    let maxBytes: Int
    /// Tasks in flight, at most.
    let maxTasks: Int

    private var tasks: [(bytes: Int, task: Task<Value, any Error>, completion: Completion)] = []
    private var bytesInFlight = 0

    init(maxBytes: Int = .max, maxTasks: Int = .max) {
        self.maxBytes = maxBytes
        self.maxTasks = max(1, maxTasks)
    }

    var isEmpty: Bool { tasks.isEmpty }

    /// Whether the oldest task has finished (stored or failed), so that taking it will not
    /// wait: lets the writer report objects as they land rather than when it blocks.
    var oldestHasFinished: Bool { tasks.first?.completion.isDone ?? false }

    /// Whether a task holding `bytes` may start now.
    func hasRoom(for bytes: Int) -> Bool {
        tasks.isEmpty || (tasks.count < maxTasks && bytesInFlight + bytes <= maxBytes)
    }

    /// Starts storing one object; `bytes` is what the task holds until it ends.
    @discardableResult
    mutating func start(bytes: Int, _ work: @escaping @Sendable () async throws -> Value) -> Task<Value, any Error> {
        let completion = Completion()
        let task = Task {
            defer { completion.markDone() }
            return try await work()
        }
        tasks.append((bytes, task, completion))
        bytesInFlight += bytes
        return task
    }

    /// Waits for the oldest task; cancelling the caller cancels it.
    mutating func completeOldest() async throws -> Value {
        let (bytes, task, _) = tasks.removeFirst()
        bytesInFlight -= bytes
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Cancels every task in flight, waits for all of them, and returns the values of those that
    /// stored their object anyway (their put finished before the cancel), in order.
    mutating func cancelAll() async -> [Value] {
        let pending = tasks
        tasks = []
        bytesInFlight = 0
        for (_, task, _) in pending { task.cancel() }
        var stored: [Value] = []
        for (_, task, _) in pending {
            if let value = try? await task.value { stored.append(value) }
        }
        return stored
    }
}

/// Set by a task when it ends; read by the writer without waiting.
private final class Completion: Sendable {
    private let done = Mutex(false)

    var isDone: Bool { done.withLock { $0 } }

    func markDone() { done.withLock { $0 = true } }
}
