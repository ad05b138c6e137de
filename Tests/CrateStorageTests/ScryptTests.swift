import Crypto
import Testing
import _CryptoExtras

@testable import CrateStorage

/// `Scrypt` keeps half of ROMix's table and recomputes the rest; its output must be scrypt's,
/// bit for bit, or no existing profile would unlock.
@Suite struct ScryptTests {
    /// RFC 7914 §12, first vector.
    @Test func matchesTheFirstRFCVector() {
        let expected =
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"
        #expect(Scrypt.derive(password: [], salt: [], n: 16, r: 1, p: 1, count: 64).hex == expected)
    }

    /// Against BoringSSL's scrypt (swift-crypto's `KDF.Scrypt`), including the RFC's other
    /// parameter sets and odd output lengths.
    @Test(arguments: [
        (password: "password", salt: "NaCl", n: 1024, r: 8, p: 16, count: 64),
        (password: "pleaseletmein", salt: "SodiumChloride", n: 16384, r: 8, p: 1, count: 64),
        (password: "crate", salt: "a salt of sixteen", n: 2, r: 1, p: 1, count: 32),
        (password: "passphrase ü", salt: "s", n: 256, r: 3, p: 2, count: 77),
        (password: "x", salt: "", n: 4096, r: 8, p: 1, count: 32),
    ])
    func matchesBoringSSL(_ c: (password: String, salt: String, n: Int, r: Int, p: Int, count: Int)) throws {
        let reference = try KDF.Scrypt.deriveKey(
            from: Array(c.password.utf8), salt: Array(c.salt.utf8), outputByteCount: c.count, rounds: c.n,
            blockSize: c.r, parallelism: c.p
        ).withUnsafeBytes { Array($0) }
        let ours = Scrypt.derive(
            password: Array(c.password.utf8), salt: Array(c.salt.utf8), n: c.n, r: c.r, p: c.p, count: c.count)
        #expect(ours == reference)
    }
}

/// Parameters read from a hostile `crate-profile.json` are refused before any derivation.
@Suite struct ScryptBoundsTests {
    static let salt = [UInt8](repeating: 7, count: 16)

    @Test(arguments: [
        (1 << 22, 24, 1),  // 12 GiB
        (1 << 10, 1 << 18, 1),  // a 70 TB allocation
        (1 << 14, 8, 131_071),  // would never finish
        (3, 8, 1),  // not a power of two
        (1 << 14, 0, 1),
        (1 << 24, 1, 1),  // 2 GiB
    ])
    func refusesParametersOutsideTheBounds(n: Int, r: Int, p: Int) throws {
        let parameters = ScryptParameters(n: n, r: r, p: p, salt: Self.salt)
        let error = #expect(throws: StorageError.self) {
            _ = try WrappedKey(scrypt: parameters, sealed: [UInt8](repeating: 0, count: 60), keyID: "00")
                .unwrap(passphrase: "x", profileName: "hostile")
        }
        guard case .keyUnavailable(let reason) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(reason.contains("outside what Crate accepts") && reason.contains("recovery code"))
    }

    @Test func acceptsTheDefaultAndTheUpperBoundAndFlagsWeakOnes() throws {
        try ScryptParameters.standard().checkBounds()
        try ScryptParameters(n: 1 << 20, r: 8, p: 16, salt: Self.salt).checkBounds()
        #expect(!ScryptParameters.standard().isWeakerThanStandard)
        #expect(ScryptParameters(n: 2, r: 1, p: 1, salt: Self.salt).isWeakerThanStandard)
        #expect(ScryptParameters.forTesting().isWeakerThanStandard)
        try ScryptParameters(n: 2, r: 1, p: 1, salt: Self.salt).checkBounds()  // weak, but bounded: a warning
    }
}
