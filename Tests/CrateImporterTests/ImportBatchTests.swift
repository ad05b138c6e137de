import CrateCatalog
import CrateStorage
import Foundation
import Synchronization
import Testing

@testable import CrateImporter

/// `Importer.runBatch`: the next release runs while the current one does, and a reporter still
/// hears each job's events together, in batch order.
@Suite struct ImportBatchTests {
    /// Three albums in a batch: every job commits; the events of one job never interleave
    /// with another's; job 2 had started (its row past `queued`) before job 1 reached its
    /// commit: it ran beside job 1; and the batch wrote one store lock for its three releases,
    /// gone when it ended.
    @Test func theNextReleaseRunsBesideTheCurrentOneAndEventsStayInOrder() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("home", chunked: true)
        let folders = try (1...3).map { index in
            try harness.makeFolder(
                "album-\(index)", files: (1...4).map { ("0\($0).wav", 300_000, UInt64(index * 10 + $0)) })
        }
        let stores = KeyRecordingStores()
        var opener = harness.opener
        opener.wrapStore = { stores.wrap($0) }
        let importer = Importer(catalog: harness.catalog, opener: opener)
        let jobs = try folders.map { try importer.prepare(source: $0, profileName: "home") }
        let catalog = harness.catalog
        let heard = Mutex<[String]>([])
        let nextState = Mutex<ImportJobRecord.State?>(nil)
        let outcomes = await importer.runBatch(jobIds: jobs.map(\.id)) { event in
            heard.withLock { $0.append(event.job) }
            guard case .stage(let job, .commit) = event, job == jobs[0].id else { return }
            // Job 1 is about to commit: job 2 started meanwhile (given a few seconds on a loaded
            // machine; it is a task of its own).
            let deadline = Date().addingTimeInterval(20)
            var state = try? catalog.job(jobs[1].id)?.state
            while state == .queued && Date() < deadline {
                try? await Task.sleep(for: .milliseconds(20))
                state = try? catalog.job(jobs[1].id)?.state
            }
            nextState.withLock { $0 = state }
        }
        #expect(outcomes.map(\.jobId) == jobs.map(\.id))
        for (_, outcome) in outcomes {
            guard case .committed = outcome else {
                Issue.record("a job ended \(outcome)")
                continue
            }
        }
        let started = nextState.withLock { $0 }
        #expect(started != nil && started != .queued, "\(String(describing: started))")
        // Events come job after job: once a job's events stop, that job is never heard again.
        var order: [String] = []
        for job in heard.withLock({ $0 }) where order.last != job { order.append(job) }
        #expect(order == jobs.map(\.id), "\(order)")
        #expect(try harness.catalog.releases().count == 3)
        #expect(stores.puts.filter { $0.hasPrefix("locks/") }.count == 1, "\(stores.puts)")
        #expect(try await harness.store("home").list(prefix: "locks/").isEmpty)
    }

    /// A batch paused in its first job (Ctrl-C): that job and those running beside it end
    /// (paused, unless they had committed already), the rest never start, every claim is given
    /// back, and a second batch (`--resume`) finishes every unfinished job, each release once.
    @Test func aPausedBatchLeavesItsUnfinishedJobsForResume() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("home", chunked: true)
        let folders = try (1...Importer.batchJobsAtOnce + 2).map { index in
            try harness.makeFolder(
                "album-\(index)", files: (1...4).map { ("0\($0).wav", 300_000, UInt64(index * 100 + $0)) })
        }
        let importer = Importer(catalog: harness.catalog, opener: harness.opener)
        let jobs = try folders.map { try importer.prepare(source: $0, profileName: "home") }
        let ids = jobs.map(\.id)
        let running = Mutex<Task<[(jobId: String, outcome: ImportOutcome)], Never>?>(nil)
        let batch = Task {
            await importer.runBatch(jobIds: ids, stop: ImportStop(.pause)) { event in
                // Pause (as Ctrl-C does) once job 1 has stored its first object.
                if case .object(let job, _, _, _, _) = event, job == ids[0] { running.withLock { $0?.cancel() } }
            }
        }
        running.withLock { $0 = batch }
        let first = await batch.value
        #expect(first.map(\.jobId) == Array(ids.prefix(Importer.batchJobsAtOnce)))
        #expect(first.first?.outcome == .paused)
        let committed = first.filter { if case .committed = $0.outcome { true } else { false } }.map(\.jobId)
        let unfinished = try harness.catalog.unfinishedJobs().map(\.id)
        #expect(Set(unfinished) == Set(ids).subtracting(committed))
        for id in ids.dropFirst(Importer.batchJobsAtOnce) { #expect(try harness.catalog.job(id)?.state == .queued) }

        // Every claim was given back: another importer (another process) may take the jobs.
        let resumer = Importer(catalog: harness.catalog, opener: harness.opener)
        let second = await resumer.runBatch(jobIds: unfinished) { _ in }
        #expect(second.count == unfinished.count)
        for (_, outcome) in second {
            guard case .committed = outcome else {
                Issue.record("a resumed job ended \(outcome)")
                continue
            }
        }
        #expect(try harness.catalog.releases().count == ids.count)
        #expect(try harness.catalog.unfinishedJobs().isEmpty)
    }
}

/// `BatchLocks`: a job that waits for the batch's lock while another process holds the store is
/// told who holds it; a job that asks once the lock is held takes it at once and hears nothing.
@Suite struct BatchLocksTests {
    @Test func onlyJobsThatWaitHearWhoHoldsTheStore() async throws {
        let store = InMemoryStore()
        var settings = StoreLocks.Settings()
        settings.isAlive = { _ in true }
        let ours = settings
        settings.pid += 1
        let theirs = settings
        let gc = try await StoreLocks(store: store, settings: theirs).acquire(.exclusive, operation: "gc")
        let locks = BatchLocks()
        let first = TransferPlacesTests.Lines()
        let waiting = Task {
            try await locks.lock(
                for: 1, notice: { holders in first.withLock { $0.append("\(holders.count) holder") } },
                acquire: { onWait in
                    try await StoreLocks(store: store, settings: ours).acquire(
                        .shared, operation: "import", waitUpTo: 30, onWait: onWait)
                })
        }
        while first.withLock({ $0 }).isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        await gc.release()
        let held = try await waiting.value
        let later = TransferPlacesTests.Lines()
        let again = try await locks.lock(
            for: 1, notice: { _ in later.withLock { $0.append("told") } },
            acquire: { _ in
                Issue.record("the batch acquired a second lock")
                throw CancellationError()
            })
        #expect(again === held)
        // Told at each retry while it waits (the importer's notice says it once).
        let heard = first.withLock { $0 }
        #expect(!heard.isEmpty && heard.allSatisfy { $0 == "1 holder" }, "\(heard)")
        #expect(later.withLock { $0 }.isEmpty)
        await locks.releaseAll()
        #expect(try await store.list(prefix: "locks/").isEmpty)
    }
}

/// `TransferPlaces`: a large release waits for every place (it transfers alone), small ones
/// share, waiters are served in order, and a cancelled waiter leaves without holding anything.
@Suite struct TransferPlacesTests {
    @Test func aLargeReleaseWaitsForTheSmallOnesAndACancelledWaiterLeaves() async throws {
        let places = TransferPlaces(3)
        let log = Lines()
        let (smallDone, finishSmall) = AsyncStream.makeStream(of: Void.self)
        let small = Task {
            try await places.holding(1) {
                log.withLock { $0.append("small started") }
                for await _ in smallDone { break }
                log.withLock { $0.append("small ended") }
            }
        }
        while log.withLock({ $0 }).isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let large = Task {
            try await places.holding(3) { log.withLock { $0.append("large ran") } }
        }
        // Behind the large one: a cancelled waiter, then a small one.
        let cancelled = Task { try await places.holding(1) { log.withLock { $0.append("cancelled ran") } } }
        let later = Task { try await places.holding(1) { log.withLock { $0.append("later ran") } } }
        try await Task.sleep(for: .milliseconds(50))
        #expect(log.withLock { $0 } == ["small started"])
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        finishSmall.yield()
        try await small.value
        try await large.value
        try await later.value
        #expect(log.withLock { $0 } == ["small started", "small ended", "large ran", "later ran"])
    }

    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func withLock<T>(_ body: (inout [String]) -> T) -> T { lines.withLock { body(&$0) } }
    }
}

/// Records the key of every put through the stores it wrapped.
final class KeyRecordingStores: Sendable {
    private let keys = Mutex<[String]>([])

    var puts: [String] { keys.withLock { $0 } }

    func wrap(_ base: any ObjectStore) -> any ObjectStore { Recording(base: base, stores: self) }

    private final class Recording: StoreWrapper, Sendable {
        let base: any ObjectStore
        let stores: KeyRecordingStores

        init(base: any ObjectStore, stores: KeyRecordingStores) {
            self.base = base
            self.stores = stores
        }

        func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
            stores.keys.withLock { $0.append(key) }
            try await base.put(key, body: body, size: size)
        }
    }
}
