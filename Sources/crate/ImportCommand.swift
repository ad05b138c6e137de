import ArgumentParser
import CrateCatalog
import CrateImporter
import Foundation

/// `crate import PATH... [--profile NAME] [--json] [--resume] [--verify]`
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import release folders into a storage profile.",
        discussion: """
            Each PATH is one release folder. Without --profile the default profile is used.
            A progress bar is drawn on standard error when it is a terminal; --json prints one
            JSON object per event on standard output instead. Ctrl-C cancels cleanly. A job cut
            short by a crash or kill resumes with `crate import --resume`, skipping what is stored.
            """
    )

    @Argument(help: "Release folders to import.")
    var paths: [String] = []

    @Option(help: "Storage profile to import into (default: the default profile).")
    var profile: String?

    @Flag(help: "Print JSON lines (one event per line) instead of a progress bar.")
    var json = false

    @Flag(help: "Resume unfinished import jobs (all of them, or those of the given paths).")
    var resume = false

    @Flag(help: "Read every stored file back and check its hash before committing.")
    var verify = false

    @OptionGroup var passphrase: PassphraseOptions

    func validate() throws {
        if paths.isEmpty && !resume {
            throw ValidationError("give at least one release folder, or --resume to continue unfinished imports")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog()
            let importer = Importer(catalog: catalog, opener: try passphrase.opener())
            var jobs: [ImportJobRecord] = []
            if resume {
                let wanted = Set(paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
                jobs = try catalog.unfinishedJobs().filter { wanted.isEmpty || wanted.contains($0.sourcePath) }
                if jobs.isEmpty { printError("no unfinished import jobs to resume") }
            } else {
                for path in paths { jobs.append(try importer.prepare(source: path, profileName: profile)) }
            }
            let reporter = ImportReporter(json: json, catalog: catalog)
            var failures = 0
            for job in jobs {
                let outcome = await withInterruptCancelling {
                    await importer.run(jobId: job.id, verify: verify) { event in await reporter.handle(event) }
                }
                switch outcome {
                case .committed, .duplicate: break
                case .failed, .cancelled: failures += 1
                }
            }
            if failures > 0 { throw ExitCode(failures == jobs.count && jobs.count > 0 ? 1 : 2) }
        }
    }
}

/// Runs `body` in a task that SIGINT (Ctrl-C) cancels, so an import stops cleanly.
func withInterruptCancelling<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
    let task = Task { await body() }
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { task.cancel() }
    source.resume()
    defer {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
    return await task.value
}
