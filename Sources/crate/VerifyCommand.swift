import ArgumentParser
import CrateCatalog
import CrateImporter
import Foundation

/// `crate verify [RELEASE | --all | --sample SHARE] [--profile NAME] [--file-share PERCENT] [--audio] [--json]`
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Read stored releases back and check them against the catalog.",
        discussion: """
            Every object of every file must exist with its recorded size; every file (or, with
            --file-share, a random share of each release's files) is read back through its profile,
            sealed objects' tags are checked, and the bytes are hashed against the catalog's SHA-256.
            With --audio, the same read decodes every FLAC file (its frames' CRCs, its length and the
            MD5 of its audio, compared with STREAMINFO's and with the one recorded at import) and
            walks every MP3 file's frames.
            --sample verifies only part of the archive, for cheap periodic checks: the release
            copies verified longest ago (never verified first), until the share is reached — a
            percentage of the copies (--sample 10%) or an amount of data (--sample 2GiB); at least
            one. Run it regularly and every copy is read in turn.
            Each copy's verify is recorded in the catalog (when, and what was found). Problems are
            listed per release and file. Exit status: 0 when all is sound, 1 when any problem was
            found (damaged audio included; a FLAC file without an MD5 is only noted).
            """
    )

    @Argument(help: "Release id or prefix.")
    var release: String?

    @Flag(help: "Verify every release copy in the catalog.")
    var all = false

    @Option(
        help: ArgumentHelp(
            "Verify the release copies verified longest ago, up to this share: 10% of the copies, or 2GiB.",
            valueName: "SHARE"))
    var sample: String?

    @Option(help: "Verify only the copies on this profile.")
    var profile: String?

    @Option(help: ArgumentHelp("Read back only this percentage of each release's files.", valueName: "PERCENT"))
    var fileShare: Double = 100

    @Flag(help: "Also check the audio: decode every FLAC file and walk every MP3 file's frames.")
    var audio = false

    @Flag(help: "Print a JSON array with one report per release copy.")
    var json = false

    @OptionGroup var passphrase: PassphraseOptions

    func validate() throws {
        if [release != nil, all, sample != nil].filter({ $0 }).count != 1 {
            throw ValidationError("give a RELEASE, --all or --sample SHARE (one of them)")
        }
        if !(fileShare > 0 && fileShare <= 100) {
            throw ValidationError("--file-share takes a percentage above 0, up to 100")
        }
        if let sample {
            do { _ = try VerifySample(parsing: sample) } catch { throw ValidationError(error.description) }
        }
    }

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog(readOnly: true)
            let verifier = ReleaseVerifier(catalog: catalog, opener: try passphrase.opener())
            var reports: [VerifyReport] = []
            if let release {
                reports = try await verifier.verify(
                    release: release, profileName: profile, fileSharePercent: fileShare, audio: audio)
            } else if let sample {
                let profileId = try profile.map { try catalog.profile(named: $0).id! }
                let chosen = try VerifySample(parsing: sample).choose(
                    from: try catalog.copiesByVerification(profileId: profileId))
                for copy in chosen {
                    reports += try await verifier.verify(
                        release: copy.releaseId, profileName: copy.profileName, fileSharePercent: fileShare,
                        audio: audio)
                }
            } else {
                reports = try await verifier.verifyAll(profileName: profile, fileSharePercent: fileShare, audio: audio)
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
        let audio = report.audioChecked > 0 ? ", audio of \(report.audioChecked) checked" : ""
        if report.isSound {
            print("ok      \(name): \(report.filesChecked) of \(report.filesTotal) files read back\(audio)")
        } else {
            print("FAILED  \(name): \(report.problems.count) problem(s)")
            for problem in report.problems { printLine(problem) }
        }
        for note in report.notes { printLine(note) }
    }

    private static func printLine(_ problem: VerifyProblem) {
        print("  \(problem.kind.label): " + (problem.file.map { "\($0): " } ?? "") + problem.message)
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
        case .damagedAudio: "damaged audio"
        case .audioMD5Differs: "audio MD5 differs"
        case .audioNotCheckable: "note: cannot check audio"
        }
    }
}
