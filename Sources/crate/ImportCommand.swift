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
            Each PATH is a release folder, or a folder of them (an artist, a whole library): a folder
            that holds audio files, or disc folders (CD1, Disc 2, ...) with audio, is one release;
            other folders are searched. --one-release takes each PATH as one release as it is.
            A batch goes on past a release that cannot be imported and ends with a summary; the
            exit status is 0 when everything was imported (or was already there), 2 when part of
            it was, 1 when none of it was. Without --profile the default profile is used.
            A progress bar is drawn on standard error when it is a terminal; --json prints one
            JSON object per event on standard output instead. Ctrl-C pauses: what is stored is kept,
            and `crate import --resume` continues (as after a crash or kill), skipping it;
            `crate import --cancel` instead ends unfinished jobs, deleting what they stored.
            """
    )

    @Argument(help: "Release folders, or folders of release folders, to import.")
    var paths: [String] = []

    @Flag(help: "Import each PATH as one release, without looking for release folders inside it.")
    var oneRelease = false

    @Option(help: "Storage profile to import into (default: the default profile).")
    var profile: String?

    @Flag(help: "Print JSON lines (one event per line) instead of a progress bar.")
    var json = false

    @Flag(help: "Resume unfinished import jobs (all of them, or those of the given paths).")
    var resume = false

    @Flag(
        help: """
            End unfinished import jobs (all of them, or those of the given paths), deleting what \
            they stored that no release uses.
            """)
    var cancel = false

    @Flag(help: "Read every stored file back and check its hash before committing.")
    var verify = false

    @Flag(
        help: """
            Import releases whose FLAC or MP3 files the audio check finds damaged (by default such \
            a release is refused, naming the files); the release records that damage was allowed.
            """)
    var allowDamaged = false

    @Flag(
        help: """
            Store what symbolic links pointing outside a release folder point to (by default \
            such a link is refused, naming it; links to files inside the folder are always followed).
            """)
    var followSymlinks = false

    @OptionGroup var passphrase: PassphraseOptions

    func validate() throws {
        if resume && cancel { throw ValidationError("--resume and --cancel exclude each other; choose one") }
        if paths.isEmpty && !resume && !cancel {
            throw ValidationError(
                "give at least one release folder, or --resume to continue unfinished imports "
                    + "(--cancel to end them)")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog()
            let opener = try passphrase.opener()
            let importer = Importer(catalog: catalog, opener: opener)
            let reporter = ImportReporter(json: json, catalog: catalog)
            var jobs: [ImportJobRecord] = []
            var summary = BatchSummary()
            let wanted = Set(paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
            let unfinished = try catalog.unfinishedJobs().filter { wanted.isEmpty || wanted.contains($0.sourcePath) }
            if cancel {
                try await cancelJobs(unfinished, importer)
                return
            }
            if resume {
                jobs = unfinished
                if jobs.isEmpty { printError("no unfinished import jobs to resume") }
            } else {
                _ = try importer.chooseProfile(profile)  // a wrong profile fails before anything starts
                var sources: [String] = []
                for path in paths {
                    let found = try oneRelease ? FoundReleases(releases: [path]) : ReleaseFinder.find(path)
                    await reporter.found(found, under: path)
                    sources += found.releases
                    summary.skipped += found.skipped
                }
                for source in sources {
                    do {
                        jobs.append(
                            try importer.prepare(
                                source: source, profileName: profile, followLinksOutside: followSymlinks,
                                allowDamaged: allowDamaged))
                    } catch {
                        // One release alone keeps the plain answer (exit 64 for a bad folder).
                        if sources.count == 1 && paths.count == 1 { throw error }
                        summary.skipped.append(SkippedSource(path: source, reason: "\(error)"))
                        await reporter.skipped(summary.skipped.last!)
                    }
                }
            }
            // Ctrl-C pauses: the jobs running keep what they stored, for `--resume` (or
            // `--cancel`); jobs not yet started stay queued for `--resume` too. Up to
            // `Importer.batchJobsAtOnce` releases run at once.
            let stop = ImportStop(.pause)
            let ids = jobs.map(\.id)
            let outcomes = await withInterruptCancelling {
                await importer.runBatch(jobIds: ids, verify: verify, stop: stop) { event in
                    await reporter.handle(event)
                }
            }
            let sources = Dictionary(jobs.map { ($0.id, $0.sourcePath) }, uniquingKeysWith: { first, _ in first })
            for (jobId, outcome) in outcomes { summary.record(outcome, source: sources[jobId] ?? jobId) }
            // Stopped before they began (Ctrl-C): still queued, for `--resume`.
            summary.notStarted = ids.count - outcomes.count
            summary.keyDerivations = opener.unlockedKeys?.count ?? 0
            if jobs.count + summary.skipped.count > 1 { await reporter.summary(summary) }
            if let code = summary.exitCode { throw ExitCode(code) }
        }
    }

    /// `--cancel`: ends each job, deleting what it stored that nothing else uses.
    private func cancelJobs(_ jobs: [ImportJobRecord], _ importer: Importer) async throws {
        guard !jobs.isEmpty else {
            printError("no unfinished import jobs to cancel")
            return
        }
        var failures = 0
        for job in jobs {
            do {
                let deleted = try await importer.cancelUnfinished(jobId: job.id)
                print(
                    "cancelled the import of \(job.sourcePath): deleted \(deleted) object\(deleted == 1 ? "" : "s") "
                        + "no release uses")
            } catch {
                failures += 1
                printError(
                    "cannot cancel the import of \(job.sourcePath): \(error); nothing was deleted and the job is kept, "
                        + "so run `crate import --cancel` again once that is solved")
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

/// What a batch of imports came to, for the closing summary and the exit status.
struct BatchSummary: Encodable {
    var imported = 0
    var alreadyPresent = 0
    var failed: [SkippedSource] = []
    var cancelled = 0
    /// Releases stopped by Ctrl-C, kept for `crate import --resume`.
    var paused = 0
    /// Releases the batch did not begin (it was stopped first), also kept for `--resume`.
    var notStarted = 0
    var skipped: [SkippedSource] = []
    /// Passphrase key derivations (scrypt) the command ran: one per encrypted profile it opened.
    var keyDerivations = 0

    mutating func record(_ outcome: ImportOutcome, source: String) {
        switch outcome {
        case .committed: imported += 1
        case .duplicate: alreadyPresent += 1
        case .failed(let message), .interrupted(let message):
            failed.append(SkippedSource(path: source, reason: message))
        case .cancelled: cancelled += 1
        case .paused: paused += 1
        }
    }

    /// `nil` when everything was imported or already there; 2 when part of it was; 1 when none.
    var exitCode: Int32? {
        let missed = failed.count + cancelled + paused + notStarted + skipped.count
        guard missed > 0 else { return nil }
        return imported + alreadyPresent > 0 ? 2 : 1
    }
}
