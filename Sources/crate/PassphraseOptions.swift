import ArgumentParser
import CrateCatalog
import CrateImporter
import CrateStorage
import Foundation
import Synchronization

/// `--passphrase-file PATH`: where an encrypted profile's passphrase comes from when
/// `CRATE_PASSPHRASE` is not set and there is no terminal to ask on. Never the passphrase
/// itself on the command line.
struct PassphraseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read the passphrase from the first line of this file.", valueName: "PATH"))
    var passphraseFile: String?

    @Option(
        help: ArgumentHelp(
            "Unlock with the recovery code in the first line of this file instead of the passphrase "
                + "(or set CRATE_RECOVERY_CODE).", valueName: "PATH"))
    var recoveryCodeFile: String?

    static let recoveryCodeVariable = "CRATE_RECOVERY_CODE"

    /// The recovery code given by `--recovery-code-file` or `CRATE_RECOVERY_CODE`, if any.
    func recoveryCode() throws -> String? {
        if let recoveryCodeFile {
            guard let data = FileManager.default.contents(atPath: recoveryCodeFile) else {
                throw CLIFailure(message: "cannot read the recovery code file \(recoveryCodeFile)")
            }
            return String(String(decoding: data, as: UTF8.self).split(separator: "\n").first ?? "")
        }
        if let code = ProcessInfo.processInfo.environment[Self.recoveryCodeVariable], !code.isEmpty { return code }
        return nil
    }

    /// Reads the passphrase for an existing profile (asked once).
    func existing(_ profileName: String) throws -> String {
        try PassphraseSource.choose(passphraseFile: passphraseFile).read(label: profileName)
    }

    /// Reads a new passphrase (asked twice on a terminal).
    func new(_ profileName: String) throws -> String {
        try PassphraseSource.choose(passphraseFile: passphraseFile, confirm: true).read(label: profileName)
    }

    /// An opener that asks for each encrypted profile's passphrase at most once, and stores at
    /// the pace `CRATE_BWLIMIT` sets.
    func opener() throws -> ProfileOpener {
        let cache = PassphraseCache()
        let options = self
        var opener = ProfileOpener(
            passphrase: { record in try cache.value(for: record.name) { try options.existing(record.name) } },
            recoveryCode: { _ in try options.recoveryCode() })
        opener.uploadPace = try UploadLimit.pace()
        // A batch of releases on one encrypted profile pays the passphrase's scrypt once.
        opener.unlockedKeys = UnlockedKeys()
        return opener
    }
}

/// An opener for commands that only delete or list objects and never need a profile's key.
func keylessOpener() -> ProfileOpener {
    ProfileOpener(passphrase: { record in
        throw CLIFailure(message: "internal error: profile \(record.name) was unlocked where no key is needed")
    })
}

/// Passphrases typed during one command (a command touching a profile twice asks once) or
/// one terminal UI session, by profile name. Memory only, never written.
final class PassphraseCache: Sendable {
    private let values = Mutex<[String: String]>([:])

    /// The remembered passphrase, or what `read` gives (remembered from then on). The lock is
    /// held while `read` asks, so two tasks needing one profile ask once.
    func value(for name: String, read: () throws -> String) throws -> String {
        try values.withLock { values in
            if let value = values[name] { return value }
            let value = try read()
            values[name] = value
            return value
        }
    }

    subscript(name: String) -> String? {
        get { values.withLock { $0[name] } }
        set { values.withLock { $0[name] = newValue } }
    }
}

/// The scrypt parameters a new or re-wrapped key gets: Crate's standard ones. The debug build
/// that the test suite runs also takes `CRATE_TEST_WEAK_SCRYPT=1` (N = 2^10, so a test pays
/// milliseconds, not seconds, per derivation); a release build has no such switch.
func newKeyScrypt() -> ScryptParameters {
    #if DEBUG
        if ProcessInfo.processInfo.environment["CRATE_TEST_WEAK_SCRYPT"] == "1" { return .forTesting() }
    #endif
    return .standard()
}
