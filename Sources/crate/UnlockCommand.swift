import ArgumentParser
import CrateCatalog
import CrateImporter
import CrateStorage
import Foundation

/// `crate unlock [--profile NAME] [--remove-all]`
struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "List the locks in profiles' stores and remove the stale ones.",
        discussion: """
            Imports and copies hold a shared lock in the profile's store while they write; gc and \
            rm hold an exclusive one while they delete. A lock whose process has ended (on this \
            host), or that was not refreshed for 30 minutes (CRATE_LOCK_STALE_AFTER), is stale: \
            unlock removes it and says whose it was. Live locks are listed and kept, unless \
            --remove-all, which is only safe when you know no Crate process uses the profile.
            """
    )

    @Option(help: "Only this profile (default: every profile).")
    var profile: String?

    @Flag(help: "Remove live locks too (only when no Crate process anywhere uses the profile).")
    var removeAll = false

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog()
            let names = try profile.map { [$0] } ?? catalog.profiles().map(\.name)
            let opener = keylessOpener()
            for name in names {
                let record = try catalog.profile(named: name)
                let locks = StoreLocks(store: try opener.baseStore(for: record.location), settings: opener.lockSettings)
                let found = try await locks.list()
                let removed = try await locks.removeStale(all: removeAll)
                let removedKeys = Set(removed.map(\.key))
                for lock in found where !removedKeys.contains(lock.key) { print("\(name): kept \(lock)") }
                for lock in removed { print("\(name): removed \(lock)") }
                if found.isEmpty { print("\(name): no locks") }
            }
        }
    }
}
