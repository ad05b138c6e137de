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
        let waiting = Mutex<CheckedContinuation<T, any Error>?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiting.withLock { $0 = continuation }
                if Task.isCancelled {
                    waiting.withLock { $0.take() }?.resume(throwing: CancellationError())
                    return
                }
                let thread = Thread {
                    let result = Result { try work() }
                    waiting.withLock { $0.take() }?.resume(with: result)
                }
                thread.start()
            }
        } onCancel: {
            waiting.withLock { $0.take() }?.resume(throwing: CancellationError())
        }
    }
}
