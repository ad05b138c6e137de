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
func openCatalog() throws -> Catalog {
    try Catalog.open(path: CratePaths.fromEnvironment().catalogPath)
}
