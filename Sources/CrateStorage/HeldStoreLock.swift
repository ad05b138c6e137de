import Foundation
import Synchronization

/// A store lock this process holds: rewritten every `refreshEvery` seconds so it stays fresh,
/// and removed by `release()`.
///
/// A holder that finds its lock gone (another process judged it stale and removed it) or that
/// could not refresh it in time has *lost* it: `check()` then throws, and work done under the
/// lock must not be trusted (a writer's skipped chunks may have been deleted; a collector's
/// view of what is live may be out of date).
public final class HeldStoreLock: Sendable {
    public let key: String
    /// Stale locks removed to take this one, for the caller to report.
    public let overridden: [StoreLockInfo]
    private let locks: StoreLocks
    private struct State {
        var record: StoreLockRecord
        /// When the store last confirmed the lock (by this machine's clock).
        var confirmed: Date
        var lost: String?
        var refresher: Task<Void, Never>?
        var released = false
    }
    private let state: Mutex<State>

    init(key: String, record: StoreLockRecord, locks: StoreLocks, overridden: [StoreLockInfo]) {
        self.key = key
        self.locks = locks
        self.overridden = overridden
        state = Mutex(State(record: record, confirmed: record.refreshed))
    }

    func startRefreshing() {
        let every = locks.settings.refreshEvery
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(max(every, 0.05) * 1e9))
                guard !Task.isCancelled, let self else { return }
                try? await self.refresh()
            }
        }
        state.withLock { $0.refresher = task }
    }

    /// Rewrites the lock with the current time, unless it is gone or so old that another
    /// process may already have judged it stale (then it is lost: rewriting it would bring
    /// back a lock someone removed).
    public func refresh() async throws {
        try throwIfLost()
        let settings = locks.settings
        let previous = state.withLock { $0.confirmed }
        guard settings.now().timeIntervalSince(previous) < settings.staleAfter / 2 else {
            markLost("it was not refreshed for \(StoreLockInfo.duration(settings.now().timeIntervalSince(previous)))")
            try throwIfLost()
            return
        }
        guard try await locks.store.head(key) != nil else {
            markLost("it was removed from the store, as stale, by another process")
            try throwIfLost()
            return
        }
        let now = settings.now()
        let record = state.withLock { state -> StoreLockRecord? in
            guard !state.released else { return nil }
            state.record.refreshed = now
            return state.record
        }
        guard let record else { return }
        try await locks.store.put(key, bytes: try record.jsonBytes())
        state.withLock { $0.confirmed = now }
    }

    /// Throws `StoreLockError.lost` unless the lock is still in the store and was confirmed
    /// there recently enough that no other process can have judged it stale. Refreshes it when
    /// its last refresh is due.
    public func check() async throws {
        try checkDeadline()
        let age = locks.settings.now().timeIntervalSince(state.withLock { $0.confirmed })
        if age >= locks.settings.refreshEvery {
            try await refresh()
        } else if try await locks.store.head(key) == nil {
            markLost("it was removed from the store, as stale, by another process")
            try throwIfLost()
        }
    }

    /// The check without a request: throws unless the store confirmed the lock less than half
    /// the stale time ago. Cheap enough to run before every deletion.
    public func checkDeadline() throws {
        try throwIfLost()
        let age = locks.settings.now().timeIntervalSince(state.withLock { $0.confirmed })
        if age >= locks.settings.staleAfter / 2 {
            markLost("it was not refreshed for \(StoreLockInfo.duration(age))")
            try throwIfLost()
        }
    }

    /// Stops refreshing and removes the lock, even from a cancelled task. Safe to call more
    /// than once.
    public func release() async {
        let (first, task) = state.withLock { state -> (Bool, Task<Void, Never>?) in
            defer { state.released = true }
            return (!state.released, state.refresher)
        }
        guard first else { return }
        task?.cancel()
        // A refresh in the middle of its put would write the lock again after our delete.
        await task?.value
        await StoreLocks.deleteUncancelled(key, from: locks.store)
    }

    private func markLost(_ reason: String) {
        state.withLock { state in
            if state.lost == nil { state.lost = reason }
        }
    }

    private func throwIfLost() throws {
        if let reason = state.withLock({ $0.lost }) { throw StoreLockError.lost(key: key, reason: reason) }
    }

    deinit {
        state.withLock { $0.refresher?.cancel() }
    }
}
