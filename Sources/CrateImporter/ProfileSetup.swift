import CrateCatalog
import CrateCore
import CrateStorage
import Foundation

/// Creates a profile: on a location with no Crate profile yet it writes `crate-profile.json`
/// (with a new wrapped data key when encrypted); on a location that already holds one it
/// attaches, taking the stored flags and unlocking the stored key. The catalog row comes last,
/// so a failure on the way leaves the catalog untouched.
public struct ProfileSetup: Sendable {
    /// What `create` did.
    public enum Result: Sendable {
        case created(StorageProfileRecord)
        /// Attached to an existing profile; `adjusted` lists flags the location overrode,
        /// `warnings` what the user should act on (a key derivation weaker than the default).
        case attached(StorageProfileRecord, adjusted: [String], warnings: [String])
    }

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

    /// - Parameters:
    ///   - newPassphrase: asks for a new passphrase (twice on a terminal), for a new encrypted profile.
    ///   - existingPassphrase: asks for the passphrase of the profile found at the location (not
    ///     asked when the opener has a recovery code, which unlocks it instead).
    public func create(
        _ requested: ProfileSpec, makeDefault: Bool, newPassphrase: () throws -> String,
        existingPassphrase: () throws -> String
    ) async throws -> Result {
        do { try requested.validate() } catch { throw CatalogError.invalidProfile(error) }
        if (try? catalog.profile(named: requested.name)) != nil {
            throw CatalogError.invalidProfile(.duplicateName(requested.name))
        }
        let store = try opener.baseStore(for: requested.location)
        if let existing = try await ProfileDescriptor.read(from: store) {
            var spec = requested
            spec.encrypted = existing.encrypted
            spec.chunked = existing.chunked
            spec.chunkSize = existing.chunked ? existing.chunkSize : nil
            var adjusted: [String] = []
            if spec.encrypted != requested.encrypted { adjusted.append(spec.encrypted ? "encrypted" : "not encrypted") }
            if spec.chunked != requested.chunked || spec.chunkSize != requested.chunkSize {
                adjusted.append(spec.chunked ? "chunked \(ByteSize.format(spec.chunkSize ?? 0))" : "not chunked")
            }
            var keyId: String?
            var wrappedJSON: String?
            var warnings: [String] = []
            if let wrapped = existing.wrappedKey {
                try wrapped.scrypt.checkBounds()
                if wrapped.scrypt.isWeakerThanStandard {
                    warnings.append(
                        "the stored key is protected by a weaker passphrase derivation than Crate's default "
                            + "(scrypt N=\(wrapped.scrypt.n) r=\(wrapped.scrypt.r) p=\(wrapped.scrypt.p), default "
                            + "N=131072 r=8 p=1); run `crate profile passwd \(spec.name)` to strengthen it")
                }
                var secret = ProfileSecret.recoveryCode("")
                if let code = try opener.recoveryCode(StorageProfileRecord(spec: spec)) {
                    secret = .recoveryCode(code)
                } else {
                    secret = .passphrase(try existingPassphrase())
                }
                _ = try await wrapped.unlocking(secret, profileName: spec.name)
                keyId = wrapped.keyID
                wrappedJSON = try Self.json(wrapped)
            }
            let record = try catalog.addProfile(spec, makeDefault: makeDefault, keyId: keyId, wrappedKey: wrappedJSON)
            return .attached(record, adjusted: adjusted, warnings: warnings)
        }
        var wrapped: WrappedKey?
        if requested.encrypted {
            let (passphrase, name, parameters) = (try newPassphrase(), requested.name, scrypt())
            wrapped = try await BlockingIO.compute {
                let (_, key) = try ProfileKeys.create(passphrase: passphrase, profileName: name, params: parameters)
                return key
            }
        }
        try await ProfileDescriptor(spec: requested, wrappedKey: wrapped).write(to: store)
        let record = try catalog.addProfile(
            requested, makeDefault: makeDefault, keyId: wrapped?.keyID, wrappedKey: try wrapped.map(Self.json))
        return .created(record)
    }

    static func json(_ key: WrappedKey) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(key), as: UTF8.self)
    }
}
