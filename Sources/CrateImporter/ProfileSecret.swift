import CrateCore
import CrateStorage
import Foundation

/// What unlocks an encrypted profile: its passphrase, or the recovery code (the data key
/// itself, written down when `crate profile recovery-code` printed it).
public enum ProfileSecret: Sendable, Hashable {
    case passphrase(String)
    case recoveryCode(String)
}

extension WrappedKey {
    /// The data key, from the passphrase (unwrapping) or the recovery code (checked against
    /// this key's id, so a code for another profile is refused rather than used).
    public func unlock(_ secret: ProfileSecret, profileName: String) throws -> DataKey {
        switch secret {
        case .passphrase(let passphrase):
            return try unwrap(passphrase: passphrase, profileName: profileName)
        case .recoveryCode(let code):
            let key = try DataKey(recoveryCode: code)
            guard Hex.string(key.keyID) == keyID else {
                throw StorageError.keyUnavailable(
                    reason: "that recovery code does not belong to profile \(profileName)")
            }
            return key
        }
    }

    /// `unlock` on a thread of its own (`BlockingIO.compute`): a passphrase's scrypt is too long
    /// to hold one of the cooperative pool's two threads.
    public func unlocking(_ secret: ProfileSecret, profileName: String) async throws -> DataKey {
        try await BlockingIO.compute { try unlock(secret, profileName: profileName) }
    }
}
