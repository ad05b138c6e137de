import CrateStorage
import Synchronization

extension Importer {
    /// Jobs of a batch running at once: while one release ends (its last fsyncs or uploads,
    /// its manifest, its commit) the next ones are already scanned, read, sealed and stored, so
    /// both cores work and a store's latency is hidden (docs/decisions.md).
    static let batchJobsAtOnce = 3
    /// The largest release that transfers beside others: what one release's chunk window
    /// holds (`ReleaseWriter.maxChunkBytesInFlight`), so small releases side by side hold no
    /// more than one large one does.
    static let smallRelease: Int64 = 16 << 20

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
                    // Cancelled between the check and the append: the handler did not see it.
                    if Task.isCancelled { job.task.cancel() }
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
                try await planAndTransfer(jobId, verify: verify, batch: batch, onEvent: send)
            }
        }
        return RunningJob(jobId: jobId, task: task, events: events)
    }

    /// Plans the job and, unless its plan ends it (a duplicate), transfers it; in a batch, holding
    /// its transfer places: a large release transfers alone (its own windows keep the store busy,
    /// and three of them at once would triple the memory in flight).
    func planAndTransfer(
        _ jobId: String, verify: Bool, batch: ImportBatch?, onEvent: @escaping @Sendable (ImportEvent) async -> Void
    ) async throws -> ImportOutcome {
        switch try await planJob(jobId, onEvent: onEvent) {
        case .ended(let outcome):
            return outcome
        case .planned(let planned):
            guard let batch else { return try await transfer(planned, verify: verify, onEvent: onEvent) }
            let places = planned.plan.bytes > Self.smallRelease ? Self.batchJobsAtOnce : 1
            return try await batch.places.holding(places) {
                try await transfer(planned, verify: verify, batch: batch, onEvent: onEvent)
            }
        }
    }
}

/// What the jobs of one batch share: the store locks (`BatchLocks`), and the jobs whose objects
/// are to be deleted once the batch ends. Deleting takes the exclusive store lock, which the
/// batch's own shared lock refuses while another of its jobs is storing — and that job may
/// count on the very objects (the same chunk in two releases).
final class ImportBatch: Sendable {
    let locks = BatchLocks()
    let places = TransferPlaces(Importer.batchJobsAtOnce)
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

    /// Sends what was held, in order (also what arrives meanwhile, held apart from what is
    /// being sent, so no progress replaces one on its way), then passes events on.
    func open() async {
        while !held.isEmpty {
            let sending = held
            held = []
            for event in sending { await send(event) }
        }
        isOpen = true
    }
}

/// The places of a batch's transfers: a job takes one or more and gives them back when its
/// transfer ends; jobs wait in the order they asked. A waiting job that is cancelled stops
/// waiting (and throws `CancellationError`).
actor TransferPlaces {
    private var free: Int
    private var waiting: [(id: Int, count: Int, resume: CheckedContinuation<Bool, Never>)] = []
    private var nextId = 0

    init(_ count: Int) { free = count }

    /// Runs `body` holding `count` places (off the actor).
    nonisolated func holding<T>(_ count: Int, _ body: () async throws -> T) async throws -> T {
        try await take(count)
        do {
            let value = try await body()
            await give(count)
            return value
        } catch {
            await give(count)
            throw error
        }
    }

    private func take(_ count: Int) async throws {
        if waiting.isEmpty && free >= count {
            free -= count
            return
        }
        let id = nextId
        nextId += 1
        let granted = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: false)
                } else {
                    waiting.append((id, count, continuation))
                }
            }
        } onCancel: {
            Task { await self.withdraw(id) }
        }
        guard granted else { throw CancellationError() }
    }

    private func give(_ count: Int) {
        free += count
        while let first = waiting.first, free >= first.count {
            free -= first.count
            waiting.removeFirst()
            first.resume.resume(returning: true)
        }
    }

    private func withdraw(_ id: Int) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).resume.resume(returning: false)
        give(0)  // those behind it may fit now
    }
}
