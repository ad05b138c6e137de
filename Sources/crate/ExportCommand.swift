import ArgumentParser
import CrateCatalog
import CrateImporter
import CrateStorage
import Foundation

/// `crate export RELEASE DIR [--profile NAME]`
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Restore a release's files into a folder.",
        discussion: "Every file is checked against its SHA-256 as it is written; existing files are never overwritten."
    )

    @OptionGroup var copy: ReleaseCopyOptions

    @Argument(help: "Folder to restore into (created if missing).")
    var directory: String

    func run() async throws {
        try await reportingErrors {
            let (storage, source) = try await copy.open()
            let directory = directory
            // Ctrl-C stops the export cleanly: the files being written are removed, not left
            // behind under their temporary names (the default SIGINT killed it mid-write).
            let (count, bytes) = try await withThrowingInterruptCancelling(
                interrupted: "interrupted; no partial file was left in \(directory); the files finished before are "
                    + "complete, and export never overwrites one: remove them or choose another folder to start again"
            ) {
                var count = 0
                var bytes: Int64 = 0
                try await ReleaseExporter.export(storage, to: directory) { _, size in
                    count += 1
                    bytes += size
                }
                return (count, bytes)
            }
            printError("exported \(count) files (\(bytes) bytes) from profile \(source.name) to \(directory)")
        }
    }
}
