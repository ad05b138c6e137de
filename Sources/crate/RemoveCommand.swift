import ArgumentParser
import CrateCatalog
import CrateImporter
import Foundation

/// `crate rm RELEASE [--profile NAME] [--yes]`
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove a release copy, or the whole release.",
        discussion: """
            With --profile only the copy on that profile goes; without it every copy and the \
            release itself. The copy's manifest is deleted first (from then on no catalog sees \
            it), then its catalog rows; then its objects are deleted under the store's exclusive \
            lock, keeping every object another release stored there uses (whichever catalog \
            wrote it). While another process writes to the profile, or when an encrypted \
            profile's passphrase is not at hand, the objects are left for `crate gc` and rm says \
            so. Asks for confirmation on a terminal; elsewhere --yes is required.
            """
    )

    @Argument(help: "Release id or prefix.")
    var release: String

    @Option(help: "Remove only the copy on this profile.")
    var profile: String?

    @Flag(name: [.customShort("y"), .long], help: "Do not ask for confirmation.")
    var yes = false

    @OptionGroup var passphrase: PassphraseOptions

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog()
            let summary = try catalog.release(release)
            let r = summary.release
            let what =
                profile.map { "the copy on profile \($0) of" }
                ?? "every copy (\(summary.profiles.joined(separator: ", "))) of"
            if !yes {
                guard isatty(STDIN_FILENO) != 0 else {
                    throw CLIFailure(
                        message: "refusing to remove \(what) \(r.artist) - \(r.title) without confirmation; "
                            + "pass --yes", code: 64)
                }
                Terminal.writeError("Remove \(what) \(r.artist) - \(r.title) [\(r.id.prefix(12))]? [y/N] ")
                let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                guard answer == "y" || answer == "yes" else {
                    printError("nothing removed")
                    return
                }
            }
            let report = try await ReleaseRemover(catalog: catalog, opener: try passphrase.opener())
                .remove(release: r.id, profileName: profile)
            for copy in report.copies {
                if let reason = copy.leftForGC {
                    print(
                        "removed the copy on \(copy.profile) (its manifest deleted); its objects are left for "
                            + "`crate gc --profile \(copy.profile)`, which deletes those nothing uses: \(reason)")
                } else {
                    print(
                        "removed the copy on \(copy.profile): \(copy.objectsDeleted) objects "
                            + "(\(copy.bytesDeleted) bytes) deleted, \(copy.objectsShared) shared objects kept")
                }
                for failure in copy.failures {
                    printError("warning: could not delete \(failure); `crate gc --profile \(copy.profile)` will")
                }
            }
            if report.releaseRemoved { print("release \(r.id.prefix(12)) is no longer in the catalog") }
        }
    }
}
