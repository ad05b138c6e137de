import CrateStorage
import Synchronization

/// The shared store locks of a batch of imports: taken by the batch's first job on a profile
/// and kept until the batch ends, instead of one lock written, listed and deleted per release
/// (on S3, four requests for every album). Jobs running at once share it; the first to ask
/// acquires it while the others wait for that. A lock found lost is dropped, and the next job
/// takes a new one.
final class BatchLocks: Sendable {
    private struct Entry: Sendable {
        let id: Int
        let acquiring: Task<HeldStoreLock, any Error>
    }

    private let held = Mutex<(entries: [Int64: Entry], nextId: Int)>(([:], 0))

    /// The lock the batch holds on the profile, else a new one from `acquire`.
    func lock(
        for profileId: Int64, acquire: @escaping @Sendable () async throws -> HeldStoreLock
    ) async throws -> HeldStoreLock {
        let entry = held.withLock { state in
            if let entry = state.entries[profileId] { return entry }
            let entry = Entry(id: state.nextId, acquiring: Task { try await acquire() })
            state.nextId += 1
            state.entries[profileId] = entry
            return entry
        }
        do {
            return try await withTaskCancellationHandler {
                try await entry.acquiring.value
            } onCancel: {
                entry.acquiring.cancel()
            }
        } catch {
            forget(profileId, entry)
            throw error
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
