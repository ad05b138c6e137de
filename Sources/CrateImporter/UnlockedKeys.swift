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

    public init() {}

    /// The key unwrapped earlier from `record`'s wrapped key, if any.
    public func key(for record: StorageProfileRecord) -> DataKey? {
        guard let wrapped = record.wrappedKey else { return nil }
        return keys.withLock { $0[wrapped] }
    }

    /// How many keys were unwrapped (and kept): the passphrase key derivations this session ran.
    public var count: Int { keys.withLock { $0.count } }

    /// Keeps `key`, unwrapped from `record`'s wrapped key, for the rest of the session.
    public func remember(_ key: DataKey, for record: StorageProfileRecord) {
        guard let wrapped = record.wrappedKey else { return }
        keys.withLock { $0[wrapped] = key }
    }
}
