import CrateCatalog
import CrateStorage
import Foundation
import Testing

@testable import CrateImporter

@Suite struct ProfileKeyChangerTests {
    @Test(arguments: [false, true])
    func passwdRewrapsAndTheOldPassphraseIsRefused(s3: Bool) async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("vault", s3: s3, encrypted: true, chunked: true)
        let id = try await harness.importRelease(Fixtures.album, into: "vault")
        let objectsBefore = try await harness.store("vault").list(prefix: "objects/")
        let changer = ProfileKeyChanger(catalog: harness.catalog, opener: harness.opener, scrypt: { .forTesting() })
        try await changer.changePassphrase(profileName: "vault") { "new passphrase" }
        #expect(try await harness.store("vault").list(prefix: "objects/") == objectsBefore)

        harness.passphrase = OperationsHarness.passphrase
        await #expect(throws: StorageError.wrongPassphrase(profile: "vault")) {
            _ = try await harness.opener.open(try harness.catalog.profile(named: "vault"))
        }
        harness.passphrase = "new passphrase"
        #expect(try await harness.exported(id, from: "vault") == OperationsHarness.contents(of: Fixtures.album))
        // The stored descriptor changed too: attaching elsewhere needs the new passphrase.
        let descriptor = try #require(try await ProfileDescriptor.read(from: harness.store("vault")))
        #expect(throws: StorageError.self) {
            _ = try descriptor.wrappedKey?.unwrap(passphrase: OperationsHarness.passphrase, profileName: "vault")
        }
        #expect(try descriptor.wrappedKey?.unwrap(passphrase: "new passphrase", profileName: "vault") != nil)
    }

    @Test func theRecoveryCodeUnlocksInPlaceOfThePassphrase() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("vault", encrypted: true)
        try await harness.addProfile("other", encrypted: true)
        let id = try await harness.importRelease(Fixtures.album, into: "vault")
        let code = try await ProfileKeyChanger(catalog: harness.catalog, opener: harness.opener)
            .recoveryCode(profileName: "vault")
        #expect(code.count == 64 + 15)
        let otherCode = try await ProfileKeyChanger(catalog: harness.catalog, opener: harness.opener)
            .recoveryCode(profileName: "other")

        let withCode = ProfileOpener(
            passphrase: { _ in throw TestError("the passphrase must not be asked for") },
            recoveryCode: { _ in code })
        let (storage, _) = try await ReleaseCopies(catalog: harness.catalog, opener: withCode)
            .open(release: id, profileName: "vault")
        #expect(try await storage.readFile("rip.log").readAll().count == 89)

        let wrongCode = ProfileOpener(passphrase: { _ in "x" }, recoveryCode: { _ in otherCode })
        await #expect(throws: StorageError.self) {
            _ = try await wrongCode.open(try harness.catalog.profile(named: "vault"))
        }

        // A forgotten passphrase: the code resets it.
        try await ProfileKeyChanger(catalog: harness.catalog, opener: withCode, scrypt: { .forTesting() })
            .changePassphrase(profileName: "vault") { "brand new" }
        harness.passphrase = "brand new"
        #expect(try await harness.exported(id, from: "vault") == OperationsHarness.contents(of: Fixtures.album))
    }
}
