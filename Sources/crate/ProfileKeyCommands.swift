import ArgumentParser
import CrateCatalog
import CrateImporter
import CrateStorage
import Foundation

/// `crate profile passwd NAME`
struct ProfilePasswd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Change an encrypted profile's passphrase (nothing is re-uploaded).",
        discussion: """
            The current passphrase comes from CRATE_PASSPHRASE, --passphrase-file or a prompt (or
            the recovery code, from CRATE_RECOVERY_CODE or --recovery-code-file, when the
            passphrase is lost); the new one from CRATE_NEW_PASSPHRASE, --new-passphrase-file or
            a prompt asked twice. The data key is re-wrapped in crate-profile.json and the catalog.
            """
    )

    @Argument(help: "Profile name.")
    var name: String

    @Option(help: ArgumentHelp("Read the new passphrase from the first line of this file.", valueName: "PATH"))
    var newPassphraseFile: String?

    @OptionGroup var passphrase: PassphraseOptions

    static let newPassphraseVariable = "CRATE_NEW_PASSPHRASE"

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog()
            try await ProfileKeyChanger(catalog: catalog, opener: try passphrase.opener(), scrypt: newKeyScrypt)
                .changePassphrase(profileName: name) { try newPassphrase() }
            print("changed the passphrase of profile \(name); nothing was re-uploaded")
        }
    }

    func newPassphrase() throws -> String {
        if let newPassphraseFile {
            return try PassphraseSource.file(path: newPassphraseFile).read(label: name)
        }
        if let value = ProcessInfo.processInfo.environment[Self.newPassphraseVariable] {
            return try PassphraseSource.environment.read(
                label: name, environment: [PassphraseSource.environmentVariable: value])
        }
        return try PassphraseSource.prompt(confirm: true).read(label: "\(name) (new passphrase)")
    }
}

/// `crate profile recovery-code NAME`
struct ProfileRecoveryCode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery-code",
        abstract: "Print an encrypted profile's recovery code, after its passphrase.",
        discussion: """
            The recovery code is the profile's data key: it unlocks the profile in place of the
            passphrase (CRATE_RECOVERY_CODE or --recovery-code-file, wherever a passphrase is
            accepted), even after the passphrase is forgotten or changed. Write it down and keep it
            offline; it is printed only when asked for and stored nowhere.
            """
    )

    @Argument(help: "Profile name.")
    var name: String

    @OptionGroup var passphrase: PassphraseOptions

    func run() async throws {
        try await reportingErrors {
            let code = try await ProfileKeyChanger(catalog: try openCatalog(), opener: try passphrase.opener())
                .recoveryCode(profileName: name)
            print(code)
            printError("this is the recovery code of profile \(name): anyone holding it can read the profile")
        }
    }
}
