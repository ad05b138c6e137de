import ArgumentParser
import CrateCatalog
import CrateImporter
import Foundation

/// `crate verify [RELEASE | --all] [--profile NAME] [--sample PERCENT] [--json]`
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Read stored releases back and check them against the catalog.",
        discussion: """
            Every object of every file must exist with its recorded size; every file (or, with
            --sample, a random share of each release's files) is read back through its profile,
            sealed objects' tags are checked, and the bytes are hashed against the catalog's SHA-256.
            Problems are listed per release and file. Exit status: 0 when all is sound, 1 when
            any problem was found.
            """
    )

    @Argument(help: "Release id or prefix.")
    var release: String?

    @Flag(help: "Verify every release copy in the catalog.")
    var all = false

    @Option(help: "Verify only the copy on this profile.")
    var profile: String?

    @Option(help: ArgumentHelp("Read back only this percentage of each release's files.", valueName: "PERCENT"))
    var sample: Double = 100

    @Flag(help: "Print a JSON array with one report per release copy.")
    var json = false

    @OptionGroup var passphrase: PassphraseOptions

    func validate() throws {
        if (release == nil) == !all { throw ValidationError("give a RELEASE or --all (not both)") }
        if !(sample > 0 && sample <= 100) { throw ValidationError("--sample takes a percentage above 0, up to 100") }
    }

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog(readOnly: true)
            let verifier = ReleaseVerifier(catalog: catalog, opener: try passphrase.opener())
            let reports =
                if let release {
                    try await verifier.verify(release: release, profileName: profile, samplePercent: sample)
                } else {
                    try await verifier.verifyAll(profileName: profile, samplePercent: sample)
                }
            if json {
                try JSONOutput.print(reports)
            } else {
                for report in reports { Self.printReport(report) }
                if reports.isEmpty { print("no release copies to verify") }
            }
            let bad = reports.filter { !$0.isSound }
            if !bad.isEmpty {
                printError("\(bad.count) of \(reports.count) release copies have problems")
                throw ExitCode(1)
            }
        }
    }

    static func printReport(_ report: VerifyReport) {
        let name = "\(report.artist) - \(report.title) [\(report.releaseId.prefix(12))] on \(report.profile)"
        if report.isSound {
            print("ok      \(name): \(report.filesChecked) of \(report.filesTotal) files read back")
            return
        }
        print("FAILED  \(name): \(report.problems.count) problem(s)")
        for problem in report.problems {
            print("  \(problem.kind.label): " + (problem.file.map { "\($0): " } ?? "") + problem.message)
        }
    }
}

extension VerifyProblem.Kind {
    var label: String {
        switch self {
        case .missingObject: "missing object"
        case .sizeMismatch: "size mismatch"
        case .integrityFailure: "integrity failure"
        case .badManifest: "manifest"
        case .unreadable: "unreadable"
        }
    }
}
