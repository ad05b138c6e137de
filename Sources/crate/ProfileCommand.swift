import ArgumentParser
import CrateCatalog
import CrateCore

/// `crate profile ...`: manage storage profiles.
struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Manage storage profiles: where and how releases are stored.",
        subcommands: [
            ProfileAdd.self, ProfileList.self, ProfileShow.self, ProfileEdit.self, ProfileRemove.self,
            ProfileDefault.self, ProfileTest.self, ProfilePasswd.self, ProfileRecoveryCode.self,
        ]
    )
}

/// Opens the catalog at the path the environment chooses (see `CratePaths`).
/// The catalog; `readOnly` for commands that only read it, which then work on a read-only home.
func openCatalog(readOnly: Bool = false) throws -> Catalog {
    try Catalog.open(path: CratePaths.fromEnvironment().catalogPath, readOnly: readOnly)
}
