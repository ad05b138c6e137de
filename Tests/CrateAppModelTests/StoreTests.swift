import CrateAppModel
import CrateImporter
import Synchronization
import Testing

@Suite("Store runs effects off the caller and feeds results back")
struct StoreTests {
    /// Sends results back into the store until `done` holds.
    /// Sends results back into the store until `done` holds; gives up after 5 minutes (the full suite runs beside CPU-heavy tests on 2 cores) so a broken
    /// store fails the test instead of hanging the suite.
    func pump(_ store: Store, until done: @escaping @Sendable (State) -> Bool) async {
        let reached = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await action in store.results {
                    store.send(action)
                    if done(store.snapshot.state) { return true }
                }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(300))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(reached, "the store never reached the expected state")
    }

    @Test func startLoadsProfilesThroughTheEnvironment() async {
        let env = Environment(loadProfiles: { [Fixtures.home] }, loadReleases: { Fixtures.releases })
        let store = Store(state: State(folderPath: "/"), environment: env)
        store.send(.started)
        await pump(store) { $0.profilesLoaded && $0.releasesLoaded }
        #expect(store.snapshot.state.profiles == [Fixtures.home])
        #expect(store.snapshot.state.releases.count == 3)
        await store.shutDown()
    }

    @Test func anImportRunsToTheEndAndItsEventsArriveAsActions() async {
        let env = Environment(
            prepareImport: { _, _, _ in "job-1" },
            runImport: { id, _, onEvent in
                await onEvent(.stage(job: id, .scan))
                await onEvent(.finished(job: id, .committed(releaseId: "r1")))
                return .committed(releaseId: "r1")
            })
        var state = State(folderPath: Fixtures.review.path)
        state.tab = .importer
        state.review = Fixtures.review
        let store = Store(state: state, environment: env)
        store.send(.keyPressed(.enter))
        await pump(store) { $0.jobs.first?.phase.isFinished == true }
        #expect(store.snapshot.state.jobs.first?.phase == .committed(releaseId: "r1"))
        await store.shutDown()
    }

    /// A queued batch: every job is recorded (a queue row each) and they run one at a time,
    /// in order — never two at once.
    @Test func aQueuedBatchRunsItsImportsOneAtATimeInOrder() async {
        let log = Mutex<(running: Int, most: Int, order: [String])>((0, 0, []))
        let env = Environment(
            prepareImport: { source, _, _ in "job-" + source },
            runImport: { id, _, onEvent in
                log.withLock {
                    $0.running += 1
                    $0.most = max($0.most, $0.running)
                    $0.order.append(id)
                }
                try? await Task.sleep(for: .milliseconds(20))
                log.withLock { $0.running -= 1 }
                await onEvent(.finished(job: id, .committed(releaseId: "r-" + id)))
                return .committed(releaseId: "r-" + id)
            })
        var state = State(folderPath: Fixtures.review.path)
        state.tab = .importer
        var review = Fixtures.review
        review.batch = ReleaseReview.Batch(releases: ["a", "b", "c"])
        state.review = review
        let store = Store(state: state, environment: env)
        store.send(.keyPressed(.enter))
        await pump(store) { $0.jobs.count == 3 && $0.jobs.allSatisfy(\.phase.isFinished) }
        #expect(store.snapshot.state.jobs.map(\.id) == ["job-a", "job-b", "job-c"])
        #expect(log.withLock { $0.order } == ["job-a", "job-b", "job-c"])
        #expect(log.withLock { $0.most } == 1)
        await store.shutDown()
    }

    /// A store whose one import runs until its task is cancelled and then ends as its stop
    /// says (noting the mode in `seen`); returned once the import is transferring.
    func storeWithARunningImport(_ seen: StopSeen) async -> Store {
        await storeRunning { id, stop, onEvent in
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
            seen.mode.withLock { $0 = stop.mode }
            let outcome: ImportOutcome = stop.mode == .pause ? .paused : .cancelled
            await onEvent(.finished(job: id, outcome))
            return outcome
        }
    }

    /// A store on the Import screen whose import, once started and transferring, goes on as
    /// `rest` says; returned once the import is transferring.
    func storeRunning(
        _ rest:
            @escaping @Sendable (String, ImportStop, @escaping @Sendable (ImportEvent) async -> Void) async ->
            ImportOutcome
    ) async -> Store {
        let env = Environment(
            prepareImport: { _, _, _ in "job-1" },
            runImport: { id, stop, onEvent in
                await onEvent(.stage(job: id, .transfer))
                return await rest(id, stop, onEvent)
            })
        var state = Fixtures.state(tab: .importer)
        state.folderPath = Fixtures.review.path
        state.review = Fixtures.review
        let store = Store(state: state, environment: env)
        store.send(.keyPressed(.enter))
        await pump(store) { $0.jobs.first?.phase == .running(.transfer) }
        return store
    }

    @Test func cancellingAJobCancelsItsTask() async {
        let seen = StopSeen()
        let store = await storeWithARunningImport(seen)
        store.send(.keyPressed(.character("j")))
        store.send(.keyPressed(.character("c")))
        store.send(.keyPressed(.character("d")))
        await pump(store) { $0.jobs.first?.phase == .cancelled }
        #expect(store.snapshot.state.jobs.first?.phase == .cancelled)
        #expect(seen.mode.withLock { $0 } == .cancel)
        await store.shutDown()
    }

    /// Quitting with an import running pauses it: the job keeps what it stored.
    @Test func quittingPausesRunningImports() async {
        let seen = StopSeen()
        let store = await storeWithARunningImport(seen)
        store.send(.keyPressed(.character("q")))
        #expect(store.snapshot.state.modal == .quitWhileImporting)
        #expect(!store.snapshot.state.quitRequested)
        store.send(.keyPressed(.character("y")))
        #expect(store.snapshot.state.quitRequested)
        await store.shutDown()
        #expect(seen.mode.withLock { $0 } == .pause)
    }

    /// Quitting does not wait for an import that ignores the stop: the grace runs out.
    @Test func shutDownGivesUpAfterItsGrace() async {
        let release = StopSeen()
        let store = await storeRunning { _, _, _ in
            // Deaf to cancellation until the test lets it go.
            while release.mode.withLock({ $0 }) == nil { try? await Task.sleep(for: .milliseconds(5)) }
            return .paused
        }
        await store.shutDown(grace: .milliseconds(100))
        #expect(release.mode.withLock { $0 } == nil, "shutDown returned while the import still ran")
        release.mode.withLock { $0 = .pause }
    }

    @Test func failuresComeBackAsMessages() async {
        let env = Environment(loadProfiles: { throw EnvironmentError.notProvided("profiles") })
        let store = Store(state: State(), environment: env)
        store.send(.keyPressed(.character("r")))
        await pump(store) { $0.status != nil }
        #expect(store.snapshot.state.status?.isError == true)
        await store.shutDown()
    }

    /// A slot a test leaves out fails loudly: the work is reported failed, never done.
    @Test func anEnvironmentSlotNotProvidedFails() async {
        let store = Store(state: Fixtures.state(tab: .releases), environment: Environment())
        store.send(.keyPressed(.character("v")))
        await pump(store) { $0.busyReleases.isEmpty }
        let status = store.snapshot.state.status
        #expect(status?.isError == true)
        #expect(status?.text.contains("has no verifyRelease (not provided)") == true)
        await store.shutDown()
    }
}

/// How a test import was asked to stop.
final class StopSeen: Sendable {
    let mode = Mutex<ImportStop.Mode?>(nil)
}
