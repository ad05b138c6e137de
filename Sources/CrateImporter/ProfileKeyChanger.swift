import CrateCatalog
import CrateStorage
import Foundation

/// Changes how an encrypted profile's data key is unlocked, without touching any object: the
/// key is re-wrapped under a new passphrase (`crate profile passwd`) or shown as a recovery
/// code (`crate profile recovery-code`).
///
/// `crate-profile.json` in the profile's storage is the source of truth: it is read (and its
/// key id checked against the catalog's), unlocked with the old passphrase or the recovery
/// code, rewritten with the new wrapping, and only then is the catalog row updated. Another
/// catalog attached to the same profile keeps its old wrapping until it attaches again.
public struct ProfileKeyChanger: Sendable {
    let catalog: Catalog
    let opener: ProfileOpener
    let scrypt: @Sendable () -> ScryptParameters

    public init(
        catalog: Catalog, opener: ProfileOpener, scrypt: @escaping @Sendable () -> ScryptParameters = { .standard() }
    ) {
        self.catalog = catalog
        self.opener = opener
        self.scrypt = scrypt
    }

    /// Re-wraps the data key under `newPassphrase`, after unlocking it with what the opener
    /// supplies (the old passphrase, or the recovery code).
    public func changePassphrase(profileName: String, newPassphrase: () throws -> String) async throws {
        let (record, store, descriptor, wrapped) = try await load(profileName)
        let key = try await wrapped.unlocking(try opener.secret(for: record), profileName: record.name)
        let passphrase = try newPassphrase()
        guard !passphrase.isEmpty else {
            throw StorageError.passphraseUnavailable(reason: "the new passphrase is empty")
        }
        let parameters = scrypt()
        let rewrapped = try await BlockingIO.compute {
            try WrappedKey.wrap(key, passphrase: passphrase, parameters: parameters)
        }
        var updated = descriptor
        updated.wrappedKey = rewrapped
        try await updated.write(to: store)
        try catalog.setWrappedKey(
            profile: record.name, keyId: rewrapped.keyID, wrappedKey: try ProfileSetup.json(rewrapped))
    }

    /// The recovery code of the profile's data key, once the passphrase has unlocked it.
    public func recoveryCode(profileName: String) async throws -> String {
        let (record, _, _, wrapped) = try await load(profileName)
        return try await wrapped.unlocking(try opener.secret(for: record), profileName: record.name).recoveryCode
    }

    private func load(_ name: String) async throws -> (
        StorageProfileRecord, any ObjectStore, ProfileDescriptor, WrappedKey
    ) {
        let record = try catalog.profile(named: name)
        guard record.encrypted else { throw KeyChangeError.notEncrypted(name) }
        let store = try opener.baseStore(for: record.location)
        guard let descriptor = try await ProfileDescriptor.read(from: store), let wrapped = descriptor.wrappedKey
        else {
            throw StorageError.profileMismatch(
                profile: name, reason: "its location has no crate-profile.json with a wrapped key")
        }
        if let keyId = record.keyId, keyId != wrapped.keyID {
            throw StorageError.profileMismatch(
                profile: name, reason: "crate-profile.json holds another key than the catalog records")
        }
        return (record, store, descriptor, wrapped)
    }

    /// Why a key change was refused.
    public enum KeyChangeError: Error, CustomStringConvertible, Sendable {
        case notEncrypted(String)

        public var description: String {
            switch self {
            case .notEncrypted(let name): "profile \(name) is not encrypted: it has no passphrase or recovery code"
            }
        }
    }
}
