import CrateStorage
import Synchronization

/// The shared store locks of a batch of imports: taken by the batch's first job on a profile
/// and kept until the batch ends, instead of one lock written, listed and deleted per release
/// (on S3, four requests for every album). A job that fails or is stopped drops its profile's
/// lock first (what it stored may then be discarded under the exclusive lock), and the next job
/// takes a new one. Jobs of a batch transfer one at a time, so no two acquire at once.
final class BatchLocks: Sendable {
    private let held = Mutex<[Int64: HeldStoreLock]>([:])

    /// The lock the batch holds on the profile, else a new one from `acquire`.
    func lock(for profileId: Int64, acquire: () async throws -> HeldStoreLock) async throws -> HeldStoreLock {
        if let lock = held.withLock({ $0[profileId] }) { return lock }
        let lock = try await acquire()
        held.withLock { $0[profileId] = lock }
        return lock
    }

    /// Releases the profile's lock; the next job acquires again.
    func drop(_ profileId: Int64) async {
        await held.withLock { $0.removeValue(forKey: profileId) }?.release()
    }

    func releaseAll() async {
        let all = held.withLock { held in
            defer { held = [:] }
            return Array(held.values)
        }
        for lock in all { await lock.release() }
    }
}
