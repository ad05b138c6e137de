import ArgumentParser
import CrateCatalog
import CrateImporter
import CrateStorage
import Foundation

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

/// Remembers passphrases for the life of one command, so a command touching a profile twice
/// asks once. Kept in memory only.
final class PassphraseCache: @unchecked Sendable {
    private var values: [String: String] = [:]
    private let lock = NSLock()

    func value(for name: String, read: () throws -> String) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let value = values[name] { return value }
        let value = try read()
        values[name] = value
        return value
    }
}
