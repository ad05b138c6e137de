import CrateCore
import Crypto
import Foundation

/// A profile's random 256-bit data key, and the sub-keys derived from it with HKDF-SHA256.
///
/// The data key itself never touches an object: sealing uses `sealingKey`, keyed names and
/// chunk ids use `identifierKey`, and objects carry only the 8-byte `keyID`.
public struct DataKey: Sendable, Equatable {
    /// The 32 raw bytes. Secret: never log or store unwrapped.
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(StorageError) {
        guard bytes.count == 32 else { throw .keyUnavailable(reason: "a data key has 32 bytes, not \(bytes.count)") }
        self.bytes = bytes
    }

    /// A fresh key from the system's secure random generator.
    public static func random() -> DataKey {
        try! DataKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// The AES-256-GCM key segments are sealed with (raw bytes: `SymmetricKey` is not
    /// `Sendable`).
    public var sealingKey: [UInt8] { derive("crate/v1/seal", count: 32) }
    /// The HMAC-SHA256 key for chunk ids and opaque object names.
    public var identifierKey: [UInt8] { derive("crate/v1/object-id", count: 32) }
    /// Identifies the key in sealed headers (not secret, reveals nothing about the key).
    public var keyID: [UInt8] { derive("crate/v1/key-id", count: SealedFormat.keyIDSize) }

    private func derive(_ info: String, count: Int) -> [UInt8] {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: bytes), salt: [UInt8](), info: Array(info.utf8),
            outputByteCount: count
        ).withUnsafeBytes { Array($0) }
    }

    /// The key as a recovery code a person can write down: 64 hex digits in groups of 4.
    public var recoveryCode: String {
        let hex = Hex.string(bytes)
        var groups: [Substring] = []
        var rest = Substring(hex)
        while !rest.isEmpty {
            groups.append(rest.prefix(4))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: "-")
    }

    /// Reads a recovery code back; dashes, spaces and case are ignored.
    public init(recoveryCode: String) throws(StorageError) {
        let digits = recoveryCode.lowercased().filter { $0.isHexDigit }
        guard digits.count == 64, recoveryCode.allSatisfy({ $0.isHexDigit || $0 == "-" || $0 == " " }) else {
            throw .keyUnavailable(reason: "a recovery code is 64 hexadecimal digits")
        }
        guard let bytes = Hex.bytes(digits) else { throw .keyUnavailable(reason: "malformed recovery code") }
        try self.init(bytes: bytes)
    }
}

extension [UInt8] {
    /// Lowercase hexadecimal digits of the bytes.
    var hex: String { Hex.string(self) }
}
