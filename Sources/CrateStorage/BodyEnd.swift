import Synchronization

/// Hands a whole file's size and SHA-256 (hex) from the task that puts it to the writer, as soon
/// as the body has been read to its end; or `nil` when the put ended without reading it all (it
/// failed or was cancelled). The first `resolve` wins; `wait` returns once one has happened.
final class BodyEnd: Sendable {
    typealias Value = (size: Int64, sha256: String)

    private struct State {
        var resolved = false
        var value: Value?
        var waiter: CheckedContinuation<Value?, Never>?
    }

    private let state = Mutex(State())

    func resolve(_ value: Value?) {
        let waiter = state.withLock { state -> CheckedContinuation<Value?, Never>? in
            guard !state.resolved else { return nil }
            state.resolved = true
            state.value = value
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: value)
    }

    func wait() async -> Value? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Value?? in
                if state.resolved { return .some(state.value) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Carries a reader into a task that uses it while its owner waits, never both at once (see
/// `ReadAheadReader` and `ReleaseWriter`'s whole-file puts).
final class ReaderBox: @unchecked Sendable {
    let reader: any ByteReader
    init(_ reader: any ByteReader) { self.reader = reader }
}
