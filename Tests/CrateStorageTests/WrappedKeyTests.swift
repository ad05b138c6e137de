import CrateCore
import Foundation
import Testing

@testable import CrateStorage

@Suite struct WrappedKeyTests {
    @Test func theRightPassphraseUnwraps() throws {
        let (key, wrapped) = try ProfileKeys.create(
            passphrase: "correct horse", profileName: "home", params: .forTesting())
        #expect(try wrapped.unwrap(passphrase: "correct horse", profileName: "home") == key)
        #expect(wrapped.keyID == key.keyID.hex)
        #expect(wrapped.scrypt.n == 1024)
    }

    @Test func aWrongPassphraseIsNamed() throws {
        let (_, wrapped) = try ProfileKeys.create(
            passphrase: "correct horse", profileName: "home", params: .forTesting())
        #expect(throws: StorageError.wrongPassphrase(profile: "home")) {
            try wrapped.unwrap(passphrase: "Correct horse", profileName: "home")
        }
        #expect("\(StorageError.wrongPassphrase(profile: "home"))" == "wrong passphrase for profile home")
    }

    /// A descriptor whose keyID was changed: the passphrase still opens the wrapped key, but
    /// the key is refused (storage-format.md §6: the last check of unlocking).
    @Test func aKeyIDThatIsNotTheWrappedKeysIsRefused() throws {
        var (_, wrapped) = try ProfileKeys.create(passphrase: "pw", profileName: "p", params: .forTesting())
        wrapped.keyID = String(wrapped.keyID.reversed())
        let error = #expect(throws: StorageError.self) { try wrapped.unwrap(passphrase: "pw", profileName: "p") }
        #expect(error.map { "\($0)" }?.contains("the file was altered") == true)
    }

    @Test func rewrappingKeepsTheDataKey() throws {
        let (key, wrapped) = try ProfileKeys.create(passphrase: "old", profileName: "p", params: .forTesting())
        let rewrapped = try wrapped.rewrap(
            oldPassphrase: "old", newPassphrase: "new", profileName: "p", parameters: .forTesting())
        #expect(try rewrapped.unwrap(passphrase: "new", profileName: "p") == key)
        #expect(throws: StorageError.wrongPassphrase(profile: "p")) {
            try rewrapped.unwrap(passphrase: "old", profileName: "p")
        }
    }

    @Test func emptyPassphrasesAreRefused() {
        #expect(throws: StorageError.self) {
            try ProfileKeys.create(passphrase: "", profileName: "p", params: .forTesting())
        }
    }

    @Test func standardParametersAreStrong() {
        let standard = ScryptParameters.standard()
        #expect(standard.n == 1 << 17 && standard.r == 8 && standard.p == 1 && standard.salt.count == 16)
    }

    /// The vector of docs/storage-format.md, computed independently with Python's hashlib.scrypt
    /// and `cryptography`'s AESGCM.
    @Test func matchesTheDocumentedTestVector() throws {
        let key = try DataKey(bytes: Array(0..<32))
        let parameters = ScryptParameters(n: 1024, r: 8, p: 1, salt: Array(0..<16))
        let wrapped = try WrappedKey.wrap(
            key, passphrase: "correct horse battery staple", parameters: parameters, nonce: Array(0xB0...0xBB))
        #expect(wrapped.sealed.hex == WrappedKeyVector.sealedHex)
        #expect(try storageFormatDocument().contains(WrappedKeyVector.sealedHex))
        #expect(try wrapped.unwrap(passphrase: "correct horse battery staple", profileName: "v") == key)
    }

    @Test func recoveryCodesRoundTrip() throws {
        let key = DataKey.random()
        #expect(try DataKey(recoveryCode: key.recoveryCode) == key)
        #expect(
            try DataKey(recoveryCode: key.recoveryCode.uppercased().replacingOccurrences(of: "-", with: " ")) == key)
        #expect(throws: StorageError.self) { try DataKey(recoveryCode: "abcd-efgh") }
    }
}

enum WrappedKeyVector {
    static let sealedHex =
        "b0b1b2b3b4b5b6b7b8b9babb" + "ea2c516e97878afde14fe66df4dc0b98ab6b5a1094c0dcde03ba2ee010e930f3"
        + "f1184106f5c089b830af5678a6282f15"
}
