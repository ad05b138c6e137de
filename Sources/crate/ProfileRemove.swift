import ArgumentParser
import CrateCatalog

/// `crate profile remove NAME`
struct ProfileRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a storage profile from the catalog.",
        discussion: "Refused while any release is stored on it. Stored objects are not touched."
    )

    @Argument(help: "Profile name.")
    var name: String

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog()
            let wasDefault = try catalog.profile(named: name).isDefault
            try catalog.removeProfile(named: name)
            print(
                "removed profile \(name)"
                    + (wasDefault ? "; there is no default profile now (`crate profile default NAME`)" : ""))
        }
    }
}

/// `crate profile default NAME`
struct ProfileDefault: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "default", abstract: "Make a profile the default for imports.")

    @Argument(help: "Profile name.")
    var name: String

    func run() async throws {
        try await reportingErrors {
            try openCatalog().setDefaultProfile(named: name)
            print("\(name) is now the default profile")
        }
    }
}
