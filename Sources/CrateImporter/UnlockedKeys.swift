import CrateCatalog
import CrateStorage
import Synchronization

/// Data keys already unwrapped in this process, so a long-lived session (the terminal UI) pays
/// the passphrase's scrypt once per profile rather than on every verify, export or copy.
///
/// Keys are held by the exact wrapped-key text they came from: a profile whose passphrase was
/// changed (a new wrapping) is unwrapped again. Memory only; nothing here is ever written.
public final class UnlockedKeys: Sendable {
    private let keys = Mutex<[String: DataKey]>([:])
    private let pending = Mutex<[String: Task<DataKey, any Error>]>([:])

    public init() {}

    /// The key unwrapped earlier from `record`'s wrapped key, if any.
    public func key(for record: StorageProfileRecord) -> DataKey? {
        guard let wrapped = record.wrappedKey else { return nil }
        return keys.withLock { $0[wrapped] }
    }

    /// How many keys were unwrapped (and kept): the passphrase key derivations this session ran.
    public var count: Int { keys.withLock { $0.count } }

    /// The key of `record` on a task: the one kept, else the unwrapping another task already
    /// runs (shared, not run twice: a batch plans its next release while the first one's key is
    /// still being derived, and two scrypts at once held twice their 64 MiB), else `unwrap` on a
    /// task of its own, whose key is kept. A failed unwrap is forgotten, so a retry runs again.
    public func unlock(
        _ record: StorageProfileRecord, unwrap: @escaping @Sendable () async throws -> DataKey
    ) -> Task<DataKey, any Error> {
        guard let wrapped = record.wrappedKey else { return Task { try await unwrap() } }
        if let key = keys.withLock({ $0[wrapped] }) { return Task { key } }
        return pending.withLock { pending in
            if let running = pending[wrapped] { return running }
            // The task's own removal waits for this lock, so it always finds its entry.
            let task = Task.detached { [self] in
                defer { _ = self.pending.withLock { $0.removeValue(forKey: wrapped) } }
                let key = try await unwrap()
                self.keys.withLock { $0[wrapped] = key }
                return key
            }
            pending[wrapped] = task
            return task
        }
    }

    /// Keeps `key`, unwrapped from `record`'s wrapped key, for the rest of the session.
    public func remember(_ key: DataKey, for record: StorageProfileRecord) {
        guard let wrapped = record.wrappedKey else { return }
        keys.withLock { $0[wrapped] = key }
    }
}
