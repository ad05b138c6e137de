import Synchronization

extension Task where Failure == any Error {
    /// The task's value, but a caller cancelled meanwhile stops waiting at once
    /// (`CancellationError`) while the task runs on. `value` waits for the task however long
    /// it takes — for a passphrase's scrypt, up to a minute after a Ctrl-C.
    func valueUnlessCancelled() async throws -> Success {
        let waiter = Waiter<Success>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiter.slot.withLock { $0 = continuation }
                if Task<Never, Never>.isCancelled {
                    waiter.resume(with: .failure(_Concurrency.CancellationError()))
                    return
                }
                Task<Void, Never> { waiter.resume(with: await self.result) }
            }
        } onCancel: {
            waiter.resume(with: .failure(_Concurrency.CancellationError()))
        }
    }
}

/// The continuation of one wait, resumed by whichever comes first.
private final class Waiter<Value: Sendable>: Sendable {
    let slot = Mutex<CheckedContinuation<Value, any Error>?>(nil)

    func resume(with result: Result<Value, any Error>) {
        slot.withLock { $0.take() }?.resume(with: result)
    }
}
