import Foundation
import Synchronization
import Testing

@testable import CrateStorage

/// Locks in the store: who excludes whom, when a lock is stale, what a holder that lost its
/// lock learns. Every case runs on a store in memory and on a local folder.
@Suite struct StoreLockTests {
    /// A clock the test moves by hand.
    final class Clock: Sendable {
        private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        var now: Date { current.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
    }

    static func settings(host: String = "here", pid: Int32 = 100, clock: Clock, alive: Set<Int32> = [100, 200])
        -> StoreLocks.Settings
    {
        var settings = StoreLocks.Settings()
        settings.host = host
        settings.pid = pid
        settings.now = { clock.now }
        settings.isAlive = { alive.contains($0) }
        settings.staleAfter = 1800
        settings.refreshEvery = 3600  // refreshed by hand in these tests
        return settings
    }

    static func stores() throws -> [any ObjectStore] {
        let folder = NSTemporaryDirectory() + "crate-locks-" + UUID().uuidString
        return [InMemoryStore(), LocalDirectoryStore(root: folder)]
    }

    @Test func sharedLocksCoexistAndAnExclusiveOneWaitsForThemAll() async throws {
        for store in try Self.stores() {
            let clock = Clock()
            let importer = StoreLocks(store: store, settings: Self.settings(clock: clock))
            let copier = StoreLocks(store: store, settings: Self.settings(host: "elsewhere", pid: 7, clock: clock))
            let collector = StoreLocks(store: store, settings: Self.settings(pid: 200, clock: clock))
            let first = try await importer.acquire(.shared, operation: "import")
            let second = try await copier.acquire(.shared, operation: "copy")

            let refusal = await #expect(throws: StoreLockError.self) {
                try await collector.acquire(.exclusive, operation: "gc")
            }
            let message = "\(refusal!)"
            #expect(message.contains("shared lock of import by here pid 100"), "\(message)")
            #expect(message.contains("shared lock of copy by elsewhere pid 7"), "\(message)")
            #expect(message.contains("gc deletes nothing while another process may be writing"))
            // The refused lock was taken back: only the two writers' remain.
            #expect(try await store.list(prefix: "locks/").count == 2)

            await first.release()
            await #expect(throws: StoreLockError.self) { try await collector.acquire(.exclusive, operation: "gc") }
            await second.release()
            let exclusive = try await collector.acquire(.exclusive, operation: "gc")
            #expect(exclusive.overridden.isEmpty)
            await exclusive.release()
            #expect(try await store.list(prefix: "locks/").isEmpty)
        }
    }

    @Test func aWriterWaitsForAnExclusiveLockOrGivesUpNamingIt() async throws {
        for store in try Self.stores() {
            var settings = StoreLocks.Settings()
            settings.refreshEvery = 3600
            let locks = StoreLocks(store: store, settings: settings)
            let exclusive = try await locks.acquire(.exclusive, operation: "rm")
            let refusal = await #expect(throws: StoreLockError.self) {
                try await locks.acquire(.shared, operation: "import")
            }
            #expect("\(refusal!)".contains("exclusive lock of rm by"))

            let told = Mutex<[String]>([])
            let releaser = Task {
                try await Task.sleep(nanoseconds: 600_000_000)
                await exclusive.release()
            }
            // A generous bound: on a loaded machine the releasing task may start late.
            let shared = try await locks.acquire(.shared, operation: "import", waitUpTo: 600) { holders in
                told.withLock { $0.append(holders.map(\.description).joined()) }
            }
            try await releaser.value
            #expect(told.withLock { $0.first?.contains("exclusive lock of rm") == true })
            await shared.release()
        }
    }

    @Test func staleLocksAreOverriddenRemovedAndReported() async throws {
        for store in try Self.stores() {
            let clock = Clock()
            // Another host's import that stopped refreshing, a dead process of this host, and
            // an object that is no Crate lock.
            let remote = StoreLocks(store: store, settings: Self.settings(host: "laptop", pid: 55, clock: clock))
            let abandoned = try await remote.acquire(.shared, operation: "import")
            _ = abandoned  // never released: its process "died"
            let dead = StoreLocks(store: store, settings: Self.settings(pid: 999, clock: clock, alive: [999]))
            _ = try await dead.acquire(.shared, operation: "copy")
            try await store.put("locks/garbage", bytes: Array("not json".utf8))

            let gc = StoreLocks(store: store, settings: Self.settings(pid: 200, clock: clock))
            // Not yet stale: the remote lock counts (the dead pid 999 is alive to its writer,
            // but this process sees only 100 and 200 alive, so that one is stale already).
            let refusal = await #expect(throws: StoreLockError.self) {
                try await gc.acquire(.exclusive, operation: "gc")
            }
            #expect("\(refusal!)".contains("laptop pid 55"))
            #expect(!"\(refusal!)".contains("pid 999"))

            clock.advance(31 * 60)
            let listed = try await gc.list()
            #expect(listed.count == 3 && listed.allSatisfy(\.isStale), "\(listed)")
            let held = try await gc.acquire(.exclusive, operation: "gc")
            let reported = held.overridden.map(\.description).sorted()
            #expect(reported.count == 3)
            #expect(reported.contains { $0.contains("laptop pid 55") && $0.contains("stale") })
            #expect(reported.contains { $0.contains("pid 999") && $0.contains("that process has ended") })
            #expect(reported.contains { $0.contains("unreadable lock locks/garbage") })
            #expect(try await store.list(prefix: "locks/").map(\.key) == [held.key])
            await held.release()
        }
    }

    @Test func aHolderWhoseLockWasTakenForStaleFindsOutBeforeTrustingIt() async throws {
        for store in try Self.stores() {
            let clock = Clock()
            let writer = try await StoreLocks(
                store: store, settings: Self.settings(host: "laptop", pid: 5, clock: clock)
            )
            .acquire(.shared, operation: "import")
            try await writer.check()
            // Refreshing moves the lock's time forward.
            clock.advance(10 * 60)
            try await writer.refresh()
            clock.advance(20 * 60)
            let gc = StoreLocks(store: store, settings: Self.settings(pid: 200, clock: clock))
            await #expect(throws: StoreLockError.self) { try await gc.acquire(.exclusive, operation: "gc") }

            // A writer that did not refresh for too long gives up by itself (and does not
            // bring back, by refreshing, a lock someone may have removed) ...
            clock.advance(15 * 60)
            await #expect(throws: StoreLockError.self) { try await writer.refresh() }
            await #expect(throws: StoreLockError.self) { try await writer.check() }
            // ... and one whose lock another process removed as stale (here: it believes the
            // holder, pid 300 of this host, has ended) learns it.
            let other = try await StoreLocks(store: store, settings: Self.settings(pid: 300, clock: clock))
                .acquire(.shared, operation: "copy")
            let held = try await gc.acquire(.exclusive, operation: "gc")
            #expect(held.overridden.map(\.key).sorted() == [writer.key, other.key].sorted())
            let lost = await #expect(throws: StoreLockError.self) { try await other.check() }
            #expect("\(lost!)".contains("removed from the store, as stale"))
            await held.release()
        }
    }

    @Test func aLockFromANewerCrateCountsAndUnlockClearsOnlyStaleOnes() async throws {
        for store in try Self.stores() {
            let clock = Clock()
            var record = StoreLockRecord(
                kind: .shared, operation: "import", host: "future", pid: 1, created: clock.now.addingTimeInterval(-7200)
            )
            record.formatVersion = 2
            try await store.put("locks/future", bytes: try record.jsonBytes())
            let locks = StoreLocks(store: store, settings: Self.settings(pid: 200, clock: clock))
            await #expect(throws: StoreLockError.self) { try await locks.acquire(.exclusive, operation: "gc") }
            try await store.put("locks/garbage", bytes: Array("{".utf8))
            #expect(try await locks.removeStale().map(\.key) == ["locks/garbage"])
            #expect(try await store.list(prefix: "locks/").map(\.key) == ["locks/future"])
            #expect(try await locks.removeStale(all: true).map(\.key) == ["locks/future"])
        }
    }
}
