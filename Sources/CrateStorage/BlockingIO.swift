import Dispatch
import Foundation
import Synchronization

/// Runs blocking system calls (`fsync`, `rename` of a synced file, directory syncs) on
/// Dispatch's threads instead of Swift concurrency's cooperative pool.
///
/// The pool has one thread per core — two here — so an `fsync` that waits 10 ms for the disk
/// inside a task would stall half the machine's hashing and sealing, and two of them all of it.
/// Dispatch grows its pool for blocked threads, so several objects sync at once (the file
/// system commits them together) while the cooperative threads keep computing.
public enum BlockingIO {
    /// Runs `work` on a Dispatch thread and returns its result.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(with: Result { try work() }) }
        }
    }
}

extension BlockingIO {
    /// Runs long CPU-bound `work` — a passphrase's scrypt: half a second of a core with Crate's
    /// parameters, up to a minute with the strongest a profile may carry — on a thread of its own.
    ///
    /// On the cooperative pool it held one of the two threads for all that time, so whatever
    /// else the process had to do (an import's transfers, answering a cancellation) waited or
    /// shared the other. A caller cancelled meanwhile stops waiting at once (`CancellationError`);
    /// the derivation finishes on its thread and its result is dropped.
    public static func compute<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await waitUnlessCancelled { deliver in
            Thread { deliver(Result { try work() }) }.start()
        }
    }
}

/// Waits for the result `start` delivers (once, from anywhere); a caller cancelled meanwhile
/// stops waiting at once with `CancellationError`, and the late result is dropped. `start` is
/// not called when the caller is already cancelled.
public func waitUnlessCancelled<T: Sendable>(
    _ start: (@escaping @Sendable (Result<T, any Error>) -> Void) -> Void
) async throws -> T {
    let waiter = Waiter<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            waiter.slot.withLock { $0 = continuation }
            if Task.isCancelled {
                waiter.resume(with: .failure(CancellationError()))
                return
            }
            start { waiter.resume(with: $0) }
        }
    } onCancel: {
        waiter.resume(with: .failure(CancellationError()))
    }
}

/// The continuation of one wait, resumed by whichever comes first.
private final class Waiter<Value: Sendable>: Sendable {
    let slot = Mutex<CheckedContinuation<Value, any Error>?>(nil)

    func resume(with result: Result<Value, any Error>) {
        slot.withLock { $0.take() }?.resume(with: result)
    }
}
