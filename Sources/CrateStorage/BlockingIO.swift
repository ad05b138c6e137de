import Dispatch

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
