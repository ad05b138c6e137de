import Synchronization

#if canImport(CMalloc)
    import CMalloc
#endif

/// Bytes of request bodies an `S3Client` may hold at once, shared by all its uploads: a
/// counting semaphore over bytes for async code, waiters served in arrival order.
///
/// An upload takes a body's bytes from the budget before it reads the body (a single PUT's, or
/// one part of a multipart upload) and gives them back when the request ends, so however many
/// objects upload at once — chunks of a release, or several whole files — the bodies in memory
/// stay within the budget. A body larger than the whole budget takes all of it.
public final class UploadBudget: Sendable {
    /// The budget, in bytes.
    public let limit: Int

    private struct Waiter {
        var id: UInt64
        var bytes: Int
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var inUse = 0
        var peak = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0

        /// Takes `bytes` if they are free and nobody waits before us.
        mutating func take(_ bytes: Int, limit: Int) -> Bool {
            guard waiters.isEmpty, inUse + bytes <= limit else { return false }
            inUse += bytes
            peak = max(peak, inUse)
            return true
        }

        /// Takes bytes for the waiters at the head of the queue while they fit, in order.
        mutating func grantWaiting(limit: Int) -> [CheckedContinuation<Void, any Error>] {
            var granted: [CheckedContinuation<Void, any Error>] = []
            while let first = waiters.first, inUse + first.bytes <= limit {
                waiters.removeFirst()
                inUse += first.bytes
                peak = max(peak, inUse)
                granted.append(first.continuation)
            }
            return granted
        }
    }

    private let state = Mutex(State())

    public init(limit: Int) { self.limit = max(1, limit) }

    /// The most bytes held at once so far (tests check the bound with it).
    public var peakInUse: Int { state.withLock { $0.peak } }

    /// Acquirers waiting now (tests).
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// What `acquire(bytes)` actually takes: at most the whole budget.
    public func amount(_ bytes: Int) -> Int { min(max(1, bytes), limit) }

    /// Hands the memory of finished request bodies back to the system before the next part of a
    /// multipart upload is read. Parts are allocated and freed on whichever threads run the
    /// requests; glibc keeps what one thread freed in that thread's arena, so with several
    /// uploads at once the process held onto about twice the budget. Not for every body: before
    /// each chunk's PUT it cost sealed chunked imports much of their speed in page faults (the
    /// figures for both are in docs/decisions.md).
    public static func returnFreedMemory() {
        #if canImport(CMalloc)
            _ = malloc_trim(0)
        #endif
    }

    /// Waits until `amount(bytes)` bytes are free and takes them; throws `CancellationError` if
    /// the task is cancelled while waiting (nothing is taken then).
    public func acquire(_ bytes: Int) async throws {
        let bytes = amount(bytes)
        let id: UInt64? = state.withLock { state in
            if state.take(bytes, limit: limit) { return nil }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case granted, cancelled, waiting }
                let outcome = state.withLock { state -> Outcome in
                    // The cancellation handler may have run before the waiter was queued.
                    if Task.isCancelled { return .cancelled }
                    // Bytes may have come free since the first look.
                    if state.take(bytes, limit: limit) { return .granted }
                    state.waiters.append(Waiter(id: id, bytes: bytes, continuation: continuation))
                    return .waiting
                }
                switch outcome {
                case .granted: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .waiting: break
                }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return [] }
                let waiter = state.waiters.remove(at: index)
                // Leaving the head of the queue may let those behind go.
                return [waiter.continuation] + state.grantWaiting(limit: limit)
            }
            cancelled.first?.resume(throwing: CancellationError())
            for granted in cancelled.dropFirst() { granted.resume() }
        }
    }

    /// Gives back bytes taken with `acquire(bytes)` (pass the same `bytes`).
    public func release(_ bytes: Int) {
        let bytes = amount(bytes)
        let granted = state.withLock { state in
            state.inUse -= bytes
            return state.grantWaiting(limit: limit)
        }
        for continuation in granted { continuation.resume() }
    }
}
