import ArgumentParser
import CrateCatalog
import CrateImporter
import CrateStorage
import Foundation

/// `crate profile test NAME`: writes, reads and deletes a probe object.
struct ProfileTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Check that a profile's storage works: write, read back and delete a probe object.")

    @Argument(help: "Profile name.")
    var name: String

    @OptionGroup var passphrase: PassphraseOptions

    func run() async throws {
        try await reportingErrors {
            let record = try openCatalog().profile(named: name)
            let stack = try await passphrase.opener().open(record)
            let report = try await ProfileProbe.run(stack)
            print(
                "profile \(name) works: "
                    + report.steps.map { "\($0.name) \(String(format: "%.1f", $0.milliseconds)) ms" }.joined(
                        separator: ", "))
        }
    }
}
