import ArgumentParser
import CrateCatalog
import CrateImporter
import Foundation

/// `crate recover --profile NAME`
struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Rebuild the catalog's releases from a profile's storage.",
        discussion: """
            For a lost or damaged catalog: add (attach) the profile in a fresh CRATE_HOME with
            `crate profile add NAME --local DIR | --s3 ...`, then run this. Every manifest on the
            profile is read (and, when sealed, authenticated); releases, files, objects and chunk
            mappings are rebuilt from them. A manifest that fails authentication or names paths
            outside its release is refused with a message and the rest continue (exit status 2).
            Track titles and durations are not in manifests and are not recovered.
            """
    )

    @Option(help: "Profile to recover releases from.")
    var profile: String

    @OptionGroup var passphrase: PassphraseOptions

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog()
            let report = try await CatalogRecovery(catalog: catalog, opener: try passphrase.opener())
                .recover(profileName: profile)
            for refusal in report.refused { printError("\(refusal.manifestKey): \(refusal.reason)") }
            print(
                "recovered \(report.recovered.count) releases from profile \(profile)"
                    + (report.alreadyKnown.isEmpty ? "" : ", \(report.alreadyKnown.count) already in the catalog")
                    + (report.refused.isEmpty ? "" : ", refused \(report.refused.count) manifests"))
            if !report.refused.isEmpty { throw ExitCode(2) }
        }
    }
}
