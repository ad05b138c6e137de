import CrateStorage
import Synchronization

extension Importer {
    /// Jobs of a batch running at once. Two: while one release ends (its last fsyncs or
    /// uploads, its manifest, its commit) the next is already scanned, read, sealed and stored,
    /// so both cores work; run one after another, the batch spent a third of its time with
    /// one core idle (docs/benchmarks.md).
    static let batchJobsAtOnce = 3

    /// Runs jobs like `run`, `batchJobsAtOnce` at a time in batch order. The reporter still
    /// hears each job's events together, job after job: a job's events are held (its progress
    /// coalesced) until the jobs before it have ended. Stops starting jobs after one that was
    /// paused or cancelled; cancelling the task stops the running jobs as `stop` says, and jobs
    /// not started stay unfinished, for resume. Returns the outcomes of the jobs that ran, in
    /// batch order.
    public func runBatch(
        jobIds: [String], verify: Bool = false, stop: ImportStop = ImportStop(),
        onEvent: @escaping @Sendable (ImportEvent) async -> Void
    ) async -> [(jobId: String, outcome: ImportOutcome)] {
        let batch = ImportBatch()
        let running = Mutex<[RunningJob]>([])
        var outcomes: [(jobId: String, outcome: ImportOutcome)] = []
        var next = 0
        var stopping = false
        await withTaskCancellationHandler {
            while true {
                while !stopping, !Task.isCancelled, next < jobIds.count,
                    running.withLock({ $0.count }) < Self.batchJobsAtOnce
                {
                    let job = start(jobIds[next], live: running.withLock { $0.isEmpty }, batch, verify, stop, onEvent)
                    running.withLock { $0.append(job) }
                    next += 1
                }
                guard let current = running.withLock({ $0.first }) else { break }
                await current.events.open()
                let outcome = await current.task.value
                running.withLock { _ = $0.removeFirst() }
                outcomes.append((current.jobId, outcome))
                if outcome == .paused || outcome == .cancelled || Task.isCancelled {
                    // The jobs already running stop too (they were told when the task was
                    // cancelled); their outcomes follow.
                    stopping = true
                    running.withLock { jobs in for job in jobs { job.task.cancel() } }
                }
            }
        } onCancel: {
            running.withLock { jobs in for job in jobs { job.task.cancel() } }
        }
        await batch.end(self)
        return outcomes
    }

    /// One job of a batch, running on a task of its own.
    private struct RunningJob: Sendable {
        let jobId: String
        let task: Task<ImportOutcome, Never>
        let events: EventGate
    }

    private func start(
        _ jobId: String, live: Bool, _ batch: ImportBatch, _ verify: Bool, _ stop: ImportStop,
        _ onEvent: @escaping @Sendable (ImportEvent) async -> Void
    ) -> RunningJob {
        let events = EventGate(open: live, send: onEvent)
        let send: @Sendable (ImportEvent) async -> Void = { await events.pass($0) }
        let task = Task {
            await ending(jobId, stop: stop, batch: batch, onEvent: send) {
                switch try await planJob(jobId, onEvent: send) {
                case .ended(let outcome): return outcome
                case .planned(let planned):
                    return try await transfer(planned, verify: verify, batch: batch, onEvent: send)
                }
            }
        }
        return RunningJob(jobId: jobId, task: task, events: events)
    }
}

/// What the jobs of one batch share: the store locks (`BatchLocks`), and the jobs whose objects
/// are to be deleted once the batch ends. Deleting takes the exclusive store lock, which the
/// batch's own shared lock refuses while another of its jobs is storing — and that job may
/// count on the very objects (the same chunk in two releases).
final class ImportBatch: Sendable {
    let locks = BatchLocks()
    private let discards = Mutex<[String]>([])

    func discardLater(_ jobId: String) { discards.withLock { $0.append(jobId) } }

    /// Releases the locks, then deletes what the ended jobs left.
    func end(_ importer: Importer) async {
        await locks.releaseAll()
        for jobId in discards.withLock({ $0 }) { await importer.discardEnded(jobId) }
    }
}

/// A job's events while it runs in a batch: passed on once the job is the batch's current one,
/// held until then, a progress event replacing the progress held before it.
actor EventGate {
    private let send: @Sendable (ImportEvent) async -> Void
    private var isOpen: Bool
    private var held: [ImportEvent] = []

    init(open: Bool, send: @escaping @Sendable (ImportEvent) async -> Void) {
        self.isOpen = open
        self.send = send
    }

    func pass(_ event: ImportEvent) async {
        if isOpen { return await send(event) }
        if case .progress = event, let last = held.last, case .progress = last {
            held[held.count - 1] = event
        } else {
            held.append(event)
        }
    }

    /// Sends what was held, in order (also what arrives meanwhile), then passes events on.
    func open() async {
        var index = 0
        while index < held.count {
            await send(held[index])
            index += 1
        }
        held = []
        isOpen = true
    }
}
