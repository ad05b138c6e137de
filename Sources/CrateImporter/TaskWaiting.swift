import CrateStorage

extension Task where Failure == any Error {
    /// The task's value, but a caller cancelled meanwhile stops waiting at once
    /// (`CancellationError`) while the task runs on. `value` waits for the task however long
    /// it takes — for a passphrase's scrypt, up to a minute after a Ctrl-C.
    func valueUnlessCancelled() async throws -> Success {
        try await waitUnlessCancelled { deliver in
            Task<Void, Never> { deliver(await self.result) }
        }
    }
}
