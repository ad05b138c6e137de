import CrateCore
import Crypto
import Foundation
import _CryptoExtras

/// The scrypt parameters a passphrase is stretched with; stored beside the wrapped key.
public struct ScryptParameters: Codable, Hashable, Sendable {
    /// CPU/memory cost N (a power of two).
    public var n: Int
    /// Block size r.
    public var r: Int
    /// Parallelism p.
    public var p: Int
    /// Random salt, 16 bytes.
    public var salt: [UInt8]

    /// N = 2^17, r = 8, p = 1 (about 0.5 s, and 64 MiB with `Scrypt`), with a fresh random salt.
    public static func standard() -> ScryptParameters {
        ScryptParameters(n: 1 << 17, r: 8, p: 1, salt: SecureRandom.bytes(16))
    }

    /// Cheap parameters for tests only: N = 2^10.
    public static func forTesting(salt: [UInt8] = SecureRandom.bytes(16)) -> ScryptParameters {
        ScryptParameters(n: 1 << 10, r: 8, p: 1, salt: salt)
    }

    public init(n: Int, r: Int, p: Int, salt: [UInt8]) {
        self.n = n
        self.r = r
        self.p = p
        self.salt = salt
    }

    private enum CodingKeys: String, CodingKey { case n, r, p, salt }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        n = try container.decode(Int.self, forKey: .n)
        r = try container.decode(Int.self, forKey: .r)
        p = try container.decode(Int.self, forKey: .p)
        salt = try container.decodeBase64(forKey: .salt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(n, forKey: .n)
        try container.encode(r, forKey: .r)
        try container.encode(p, forKey: .p)
        try container.encode(Data(salt).base64EncodedString(), forKey: .salt)
    }

    /// The largest scrypt memory (128·r·N bytes, the usual measure) accepted from a profile.
    public static let maximumMemory = 1 << 30
    /// The largest block size and parallelism accepted from a profile.
    public static let maximumR = 32
    public static let maximumP = 16

    /// Refuses parameters that could not have come from Crate and would cost unbounded time or
    /// memory to try (`crate-profile.json` is read from storage someone else may control):
    /// N a power of two ≥ 2, 1 ≤ r ≤ 32, 1 ≤ p ≤ 16, 128·r·N ≤ 1 GiB, a salt of 16–64 bytes.
    /// Checked before any derivation (docs/storage-format.md §6).
    public func checkBounds() throws(StorageError) {
        guard n > 1, n & (n - 1) == 0, (1...Self.maximumR).contains(r), (1...Self.maximumP).contains(p),
            n <= Self.maximumMemory / (128 * r), (16...64).contains(salt.count)
        else {
            throw .keyUnavailable(
                reason: "the profile's key derivation parameters (scrypt N=\(n) r=\(r) p=\(p), "
                    + "\(salt.count)-byte salt) are outside what Crate accepts (r ≤ \(Self.maximumR), "
                    + "p ≤ \(Self.maximumP), 128·r·N ≤ 1 GiB); crate-profile.json was not written by Crate "
                    + "or was altered — unlock with the recovery code instead")
        }
    }

    /// Whether these parameters cost an attacker less per guess than `standard()`: said as a
    /// warning, and `crate profile passwd` rewraps with the standard ones.
    public var isWeakerThanStandard: Bool { n * r * p < (1 << 17) * 8 || n < 1 << 14 }

    /// The 256-bit key-encryption key for `passphrase`.
    func deriveKey(passphrase: String) throws -> SymmetricKey {
        try checkBounds()
        // Our own scrypt, at half the memory of BoringSSL's (same output; see `Scrypt`).
        return SymmetricKey(
            data: Scrypt.derive(password: Array(passphrase.utf8), salt: salt, n: n, r: r, p: p, count: 32))
    }
}

/// A data key sealed under a passphrase: what `crate-profile.json` and the catalog hold.
///
/// `sealed` is AES-256-GCM(key = scrypt(passphrase), nonce, plaintext = data key,
/// AD = "crate/v1/wrapped-key") as nonce (12) ‖ ciphertext (32) ‖ tag (16).
public struct WrappedKey: Codable, Hashable, Sendable {
    public static let associatedData = Array("crate/v1/wrapped-key".utf8)

    /// Always "scrypt" in version 1.
    public var kdf: String
    public var scrypt: ScryptParameters
    public var sealed: [UInt8]
    /// The data key's id (hex), so a wrong recovery code is told apart from a wrong key.
    public var keyID: String

    public init(kdf: String = "scrypt", scrypt: ScryptParameters, sealed: [UInt8], keyID: String) {
        self.kdf = kdf
        self.scrypt = scrypt
        self.sealed = sealed
        self.keyID = keyID
    }

    private enum CodingKeys: String, CodingKey { case kdf, scrypt, sealed, keyID }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kdf = try container.decode(String.self, forKey: .kdf)
        scrypt = try container.decode(ScryptParameters.self, forKey: .scrypt)
        sealed = try container.decodeBase64(forKey: .sealed)
        keyID = try container.decode(String.self, forKey: .keyID)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kdf, forKey: .kdf)
        try container.encode(scrypt, forKey: .scrypt)
        try container.encode(Data(sealed).base64EncodedString(), forKey: .sealed)
        try container.encode(keyID, forKey: .keyID)
    }

    /// Wraps `dataKey` under `passphrase`. `nonce` is for test vectors only.
    public static func wrap(
        _ dataKey: DataKey, passphrase: String, parameters: ScryptParameters, nonce: [UInt8]? = nil
    ) throws -> WrappedKey {
        let kek = try parameters.deriveKey(passphrase: passphrase)
        let gcmNonce = try AES.GCM.Nonce(data: nonce ?? SecureRandom.bytes(12))
        let box = try AES.GCM.seal(dataKey.bytes, using: kek, nonce: gcmNonce, authenticating: associatedData)
        return WrappedKey(scrypt: parameters, sealed: Array(box.combined!), keyID: dataKey.keyID.hex)
    }

    /// The data key, or `StorageError.wrongPassphrase(profile:)` when the passphrase is wrong.
    public func unwrap(passphrase: String, profileName: String) throws -> DataKey {
        guard kdf == "scrypt" else { throw StorageError.keyUnavailable(reason: "unknown key derivation \"\(kdf)\"") }
        let kek = try scrypt.deriveKey(passphrase: passphrase)
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
            let bytes = try? AES.GCM.open(box, using: kek, authenticating: Self.associatedData)
        else { throw StorageError.wrongPassphrase(profile: profileName) }
        let key = try DataKey(bytes: Array(bytes))
        // The descriptor's keyID names the key that sealed the objects; one that does not
        // match what it wraps means the descriptor was altered (docs/storage-format.md §6).
        guard Hex.string(key.keyID) == keyID else {
            throw StorageError.keyUnavailable(
                reason: "crate-profile.json of profile \(profileName) names key \(keyID), but its wrapped key is "
                    + "\(Hex.string(key.keyID)); the file was altered: restore it from a copy")
        }
        return key
    }

    /// The same data key wrapped under a new passphrase (`crate profile passwd`): nothing
    /// stored changes but `crate-profile.json` and the catalog row.
    public func rewrap(
        oldPassphrase: String, newPassphrase: String, profileName: String, parameters: ScryptParameters
    ) throws -> WrappedKey {
        try Self.wrap(
            try unwrap(passphrase: oldPassphrase, profileName: profileName), passphrase: newPassphrase,
            parameters: parameters)
    }
}

/// What the command line calls to give a new encrypted profile its key.
public enum ProfileKeys {
    /// A fresh random data key and its wrapping under `passphrase`.
    public static func create(
        passphrase: String, profileName: String, params: ScryptParameters = .standard()
    ) throws -> (DataKey, WrappedKey) {
        guard !passphrase.isEmpty else {
            throw StorageError.passphraseUnavailable(
                reason: "an empty passphrase cannot protect profile \(profileName)")
        }
        let key = DataKey.random()
        return (key, try WrappedKey.wrap(key, passphrase: passphrase, parameters: params))
    }
}

extension KeyedDecodingContainer {
    func decodeBase64(forKey key: Key) throws -> [UInt8] {
        let text = try decode(String.self, forKey: key)
        guard let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not base64")
        }
        return Array(data)
    }
}
