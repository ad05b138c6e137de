import ArgumentParser
import CrateCatalog
import CrateCore
import CrateImporter
import Foundation

/// `crate gc [--profile NAME] [--dry-run] [--json]`
struct GCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete stored objects nothing in the catalog uses.",
        discussion: """
            Lists each profile's objects/, releases/ and manifests/ and deletes what no release
            copy and no unfinished import or copy job references, plus S3 multipart uploads a
            crash left behind. crate-profile.json is never touched. A profile with a job active in
            the last 10 minutes is refused. --dry-run lists what would go.
            """
    )

    @Option(help: "Collect only this profile (default: every profile).")
    var profile: String?

    @Flag(help: "List what would be deleted; delete nothing.")
    var dryRun = false

    @Flag(help: "Print a JSON array with one report per profile.")
    var json = false

    struct Item: Encodable {
        var profile: String
        var dryRun: Bool
        var objects: [String]
        var bytes: Int64
        var multipartUploads: [String]
        var note: String?
        var failures: [String]
    }

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog()
            let names = try profile.map { [$0] } ?? catalog.profiles().map(\.name)
            let collector = GarbageCollector(catalog: catalog, opener: keylessOpener())
            var items: [Item] = []
            for name in names {
                let report: GarbageReport
                do {
                    report = try await collector.collect(profileName: name, dryRun: dryRun)
                } catch let error as GarbageCollector.GarbageError {
                    // One busy profile does not stop the others.
                    printError(error.description)
                    items.append(
                        Item(
                            profile: name, dryRun: dryRun, objects: [], bytes: 0, multipartUploads: [],
                            note: error.description, failures: [error.description]))
                    continue
                }
                items.append(
                    Item(
                        profile: name, dryRun: dryRun, objects: report.orphans.map(\.key), bytes: report.bytes,
                        multipartUploads: report.abortedUploads, note: report.uploadsNote, failures: report.failures))
                guard !json else { continue }
                let verb = dryRun ? "would delete" : "deleted"
                for object in report.orphans { print("\(dryRun ? "orphan" : "deleted") \(name): \(object.key)") }
                print(
                    "\(name): \(verb) \(report.orphans.count) objects (\(ByteSize.format(report.bytes)), "
                        + "\(report.bytes) bytes); \(dryRun ? "would abort" : "aborted") "
                        + "\(report.abortedUploads.count) multipart uploads")
                if let note = report.uploadsNote { print("\(name): \(note)") }
                for failure in report.failures { printError("could not delete \(failure)") }
            }
            if json { try JSONOutput.print(items) }
            if items.contains(where: { !$0.failures.isEmpty }) { throw ExitCode(1) }
        }
    }
}
