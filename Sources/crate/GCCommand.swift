import ArgumentParser
import CrateCatalog
import CrateCore
import CrateImporter
import CrateStorage
import Foundation

/// `crate gc [--profile NAME] [--dry-run] [--json]`
struct GCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete stored objects no release on the profile uses.",
        discussion: """
            The profile's store decides what is live, not this catalog: under the store's \
            exclusive lock, gc reads every manifest in the store (an encrypted profile's need its \
            passphrase) and deletes the objects under objects/ and releases/ that none of them, no \
            release copy in this catalog and no unfinished import or copy job references; then \
            the temporary files and S3 multipart uploads that killed writers left behind. It never \
            deletes a manifest, a lock or crate-profile.json, and reports releases stored there \
            that this catalog does not know (`crate recover` adds them). While another process \
            writes to the profile (an import or copy of any catalog, on any machine) gc refuses, \
            naming it; stale locks are removed and reported. --dry-run lists what would go.
            """
    )

    @Option(help: "Collect only this profile (default: every profile).")
    var profile: String?

    @Flag(help: "List what would be deleted; delete nothing.")
    var dryRun = false

    @Flag(help: "Print a JSON array with one report per profile.")
    var json = false

    @OptionGroup var passphrase: PassphraseOptions

    struct Item: Encodable {
        var profile: String
        var dryRun: Bool
        var objects: [String]
        var bytes: Int64
        var partialUploads: [String]
        var unknownReleases: [String]
        var missingManifests: [String]
        var staleLocksRemoved: [String]
        var failures: [String]
    }

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog()
            let names = try profile.map { [$0] } ?? catalog.profiles().map(\.name)
            let collector = GarbageCollector(catalog: catalog, opener: try passphrase.opener())
            var items: [Item] = []
            for name in names {
                let report: GarbageReport
                do {
                    report = try await collector.collect(profileName: name, dryRun: dryRun)
                } catch let error as GarbageCollector.GarbageError {
                    // One busy or locked profile does not stop the others.
                    printError(error.description)
                    items.append(
                        Item(
                            profile: name, dryRun: dryRun, objects: [], bytes: 0, partialUploads: [],
                            unknownReleases: [], missingManifests: [], staleLocksRemoved: [],
                            failures: [error.description]))
                    continue
                }
                items.append(
                    Item(
                        profile: name, dryRun: dryRun, objects: (dryRun ? report.orphans : report.deleted).map(\.key),
                        bytes: report.bytes,
                        partialUploads: report.partialUploads.map(\.key), unknownReleases: report.foreignReleases,
                        missingManifests: report.missingManifests,
                        staleLocksRemoved: report.staleLocksRemoved.map(\.description), failures: report.failures))
                if !json { printReport(report) }
            }
            if json { try JSONOutput.print(items) }
            if items.contains(where: { !$0.failures.isEmpty }) { throw ExitCode(1) }
        }
    }

    private func printReport(_ report: GarbageReport) {
        let name = report.profile
        for lock in report.staleLocksRemoved { print("\(name): removed \(lock)") }
        let listed = dryRun ? report.orphans : report.deleted
        for object in listed { print("\(dryRun ? "orphan" : "deleted") \(name): \(object.key)") }
        let bytes = listed.reduce(Int64(0)) { $0 + $1.size }
        print(
            "\(name): \(dryRun ? "would delete" : "deleted") \(listed.count) objects "
                + "(\(ByteSize.format(bytes)), \(bytes) bytes) and "
                + "\(report.partialUploads.count) partial uploads")
        if !report.foreignReleases.isEmpty {
            print(
                "\(name): \(report.foreignReleases.count) releases stored there are not in this catalog (another "
                    + "catalog's, or from before a reinstall); their objects are kept. "
                    + "`crate recover --profile \(name)` adds them here: "
                    + report.foreignReleases.map { String($0.prefix(12)) }.joined(separator: ", "))
        }
        if !report.missingManifests.isEmpty {
            print(
                "\(name): \(report.missingManifests.count) releases this catalog lists have no manifest there any "
                    + "more (removed by another catalog?); their objects are kept until `crate rm RELEASE "
                    + "--profile \(name)`: "
                    + report.missingManifests.map { String($0.prefix(12)) }.joined(separator: ", "))
        }
        for failure in report.failures { printError("could not delete \(failure)") }
    }
}
