import CrateStorage
import Synchronization

/// The shared store locks of a batch of imports: taken by the batch's first job on a profile
/// and kept until the batch ends, instead of one lock written, listed and deleted per release
/// (on S3, four requests for every album). Jobs running at once share it; the first to ask
/// acquires it while the others wait for that. A lock found lost is dropped, and the next job
/// takes a new one.
final class BatchLocks: Sendable {
    /// What a job tells its user while the store is held by another process.
    typealias Notice = @Sendable ([StoreLockInfo]) async -> Void

    private struct Entry: Sendable {
        let id: Int
        let acquiring: Task<HeldStoreLock, any Error>
        let waiters: Waiters
    }

    private let held = Mutex<(entries: [Int64: Entry], nextId: Int)>(([:], 0))

    /// The lock the batch holds on the profile, else a new one from `acquire`, which is given
    /// a notice that tells every job waiting for it (not only the first to ask) who holds the
    /// store. A lock the batch held but has lost is released and replaced.
    func lock(
        for profileId: Int64, notice: @escaping Notice,
        acquire: @escaping @Sendable (_ onWait: @escaping Notice) async throws -> HeldStoreLock
    ) async throws -> HeldStoreLock {
        while true {
            let entry = held.withLock { state in
                if let entry = state.entries[profileId] { return entry }
                let waiters = Waiters()
                let acquiring = Task {
                    // Once acquired (or failed) nobody waits: later jobs take the lock at once.
                    do {
                        let lock = try await acquire { await waiters.tell($0) }
                        await waiters.close()
                        return lock
                    } catch {
                        await waiters.close()
                        throw error
                    }
                }
                let entry = Entry(id: state.nextId, acquiring: acquiring, waiters: waiters)
                state.nextId += 1
                state.entries[profileId] = entry
                return entry
            }
            await entry.waiters.join(notice)
            let lock: HeldStoreLock
            do {
                lock = try await withTaskCancellationHandler {
                    try await entry.acquiring.value
                } onCancel: {
                    entry.acquiring.cancel()
                }
            } catch {
                forget(profileId, entry)
                throw error
            }
            do {
                try lock.checkDeadline()
                return lock
            } catch {
                // Lost while the batch kept it (a machine asleep, a store unreachable): a
                // new one, rather than a whole release stored under a lock that cannot commit.
                forget(profileId, entry)
                await lock.release()
            }
        }
    }

    /// Releases the profile's lock if it is still `lock`.
    func drop(_ profileId: Int64, ifHolding lock: HeldStoreLock) async {
        guard let entry = held.withLock({ $0.entries[profileId] }),
            let current = try? await entry.acquiring.value, current === lock
        else { return }
        forget(profileId, entry)
        await lock.release()
    }

    func releaseAll() async {
        let all = held.withLock { state in
            defer { state.entries = [:] }
            return Array(state.entries.values)
        }
        for entry in all { await (try? entry.acquiring.value)?.release() }
    }

    private func forget(_ profileId: Int64, _ entry: Entry) {
        held.withLock { state in
            if state.entries[profileId]?.id == entry.id { state.entries[profileId] = nil }
        }
    }
}

/// The jobs waiting for one lock while it is acquired: each is told who holds the store, also
/// a job that comes to wait after the first notice. Closed once the acquisition has ended: a
/// job asking then is not waiting, and hears nothing.
private actor Waiters {
    private var notices: [BatchLocks.Notice] = []
    private var holders: [StoreLockInfo]?
    private var isClosed = false

    func join(_ notice: @escaping BatchLocks.Notice) async {
        guard !isClosed else { return }
        notices.append(notice)
        if let holders { await notice(holders) }
    }

    func tell(_ holders: [StoreLockInfo]) async {
        self.holders = holders
        for notice in notices { await notice(holders) }
    }

    func close() {
        isClosed = true
        notices = []
    }
}
