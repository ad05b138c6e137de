import ArgumentParser
import CrateCatalog
import CrateImporter
import Foundation

/// `crate copy RELEASE --to PROFILE [--from PROFILE] [--move]`
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy (or move) a release to another profile.",
        discussion: """
            The release is streamed out of one copy (--from, else the first that opens) into the
            destination profile, whatever their layouts, encryption and locations; the destination
            is read back in full before the copy is recorded. --move then removes the source copy.
            An interrupted copy resumes when run again, skipping the objects already stored.
            """
    )

    @Argument(help: "Release id or prefix.")
    var release: String

    @Option(help: "Profile to copy to.")
    var to: String

    @Option(help: "Profile to copy from (default: the first copy that opens).")
    var from: String?

    @Flag(name: .customLong("move"), help: "Remove the source copy once the new one is verified and recorded.")
    var move = false

    @OptionGroup var passphrase: PassphraseOptions

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog()
            let copier = ReleaseCopier(catalog: catalog, opener: try passphrase.opener())
            let (release, to, from, move) = (release, to, from, move)
            let progress = CopyProgress(total: try catalog.release(release).release.totalBytes)
            let outcome = try await withThrowingInterruptCancelling {
                try await copier.copy(release: release, to: to, from: from, move: move) { event in
                    await progress.handle(event)
                }
            }
            await progress.finish()
            print(
                "\(move ? "moved" : "copied") release \(outcome.releaseId.prefix(12)) from \(outcome.source) to "
                    + "\(outcome.destination): \(outcome.objectsStored) objects stored, "
                    + "\(outcome.objectsSkipped) already there; verified")
            for failure in outcome.removal?.copies.flatMap(\.failures) ?? [] {
                printError("warning: could not delete \(failure); `crate gc` will collect it")
            }
        }
    }
}

/// A one-line progress display on standard error, drawn only when it is a terminal.
actor CopyProgress {
    private let total: Int64
    private let enabled = isatty(STDERR_FILENO) != 0
    private var bytes: Int64 = 0
    private var file = ""

    init(total: Int64) { self.total = total }

    func handle(_ event: CopyEvent) {
        switch event {
        case .file(let path, _): file = path
        case .object(_, let count, _): bytes += count
        case .verifying: file = "verifying the new copy"
        case .committed, .sourceRemoved: return
        }
        guard enabled else { return }
        let percent = total > 0 ? min(100, bytes * 100 / total) : 100
        Terminal.writeError("\(percent)% \(file.prefix(60))", after: "\r\u{1B}[K")
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
