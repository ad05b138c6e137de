import CrateImporter

/// What the chunk map shows for one object of a job (a chunk, or a whole file).
public enum ChunkState: Hashable, Sendable {
    /// Not stored yet, and not begun.
    case pending
    /// Being filled from the source folder (the next object to go).
    case reading
    /// Its put runs: the store is taking it (how much, `ImportProgress.inFlight` says).
    case inFlight
    /// The store acknowledged it, or it was found already stored.
    case stored
    /// A request of its put failed and is being tried again.
    case retrying
    case failed
}

/// One import job's life as the queue shows it, as a value-type state machine: `handle` takes
/// the importer's events, `cancel`/`resume` the user's requests, and each returns what the store
/// must do, so tests need no I/O.
public struct ImportJob: Hashable, Sendable {
    public enum Phase: Hashable, Sendable {
        /// Recorded in the catalog; the run has not reported yet.
        case queued
        /// Left unfinished by an earlier run (a crash or quit): offers resume.
        case interrupted
        case running(ImportStage)
        /// Stopping, deleting what it stored.
        case cancelling
        /// Stopping, keeping what it stored.
        case pausing
        /// Stopped on request, what it stored kept: offers resume.
        case paused
        case committed(releaseId: String)
        case duplicate(releaseId: String)
        case failed(message: String)
        /// Stopped by the storage (an outage, a full disk) with the job kept: offers resume.
        case stopped(message: String)
        case cancelled

        public var isFinished: Bool {
            switch self {
            case .committed, .duplicate, .failed, .cancelled: true
            default: false
            }
        }

        public var isActive: Bool {
            switch self {
            case .queued, .running, .cancelling, .pausing: true
            default: false
            }
        }
    }

    /// What the store has to do after a transition.
    public enum Command: Hashable, Sendable {
        case stopRun(jobId: String, ImportStop.Mode)
        case resumeRun(jobId: String)
        case restart(source: String, profileName: String)
    }

    public var id: String
    public var source: String
    public var profileName: String
    public var title: String
    public var phase: Phase = .queued
    public var progress = ImportProgress()
    public var chunks: [ChunkState] = []
    public var warnings: [String] = []

    public init(id: String, source: String, profileName: String, phase: Phase = .queued) {
        self.id = id
        self.source = source
        self.profileName = profileName
        self.title = source.split(separator: "/").last.map(String.init) ?? source
        self.phase = phase
    }

    /// Applies one event from the importer. Once the job has ended, the progress of its run is
    /// over: a late report cannot put objects back in flight.
    public mutating func handle(_ event: ImportEvent) {
        switch event {
        case .progress, .transfer, .retry, .object:
            guard phase.isActive else { return }
        default:
            break
        }
        switch event {
        case .stage(_, let stage):
            if phase != .cancelling && phase != .pausing { phase = .running(stage) }
            markReading()
        case .warning(_, let message):
            warnings.append(message)
        case .identified(_, let release):
            title = "\(release.artist) – \(release.title)"
        case .planned(_, let plan):
            progress.bytesTotal = plan.bytes
            progress.objectsTotal = plan.objects
            // The manifest is the last object; the map shows the release's own objects. A
            // resumed job plans the same objects again: what it had stored stays stored.
            let count = max(0, plan.objects - 1)
            chunks =
                chunks.count == count
                ? chunks.map { $0 == .stored ? .stored : .pending } : Array(repeating: .pending, count: count)
        case .object:
            // Recorded for resume; the cell moved with its `.transfer` event.
            break
        case .transfer(_, let cell, let state):
            switch state {
            case .started: if cellState(cell) != .stored { setCell(cell, .inFlight) }
            case .confirmed, .alreadyStored: setCell(cell, .stored)
            case .failed: if cellState(cell) != .stored { setCell(cell, .failed) }
            }
            markReading()
        case .progress(_, let progress):
            self.progress = progress
            for object in progress.inFlight where cellState(object.cell) != .stored {
                setCell(object.cell, object.failedAttempt == nil ? .inFlight : .retrying)
            }
        case .retry(_, let note, _):
            progress.retries += 1
            progress.retry = note
            if let cell = note.cell, cellState(cell) != .stored { setCell(cell, .retrying) }
        case .audioDamaged(_, let file, let reason):
            warnings.append("damaged audio: \(file): \(reason)")
        case .finished(_, let outcome):
            finish(outcome)
        }
    }

    private func cellState(_ cell: Int) -> ChunkState? { chunks.indices.contains(cell) ? chunks[cell] : nil }

    private mutating func setCell(_ cell: Int, _ state: ChunkState) {
        guard cell >= 0 else { return }
        if cell >= chunks.count { chunks += Array(repeating: .pending, count: cell + 1 - chunks.count) }
        chunks[cell] = state
    }

    /// While the transfer runs, the first object not begun is the one being read.
    private mutating func markReading() {
        let reading =
            phase == .running(.transfer) ? chunks.firstIndex(where: { $0 == .pending || $0 == .reading }) : nil
        for index in chunks.indices where chunks[index] == .reading && index != reading { chunks[index] = .pending }
        if let reading, chunks[reading] == .pending { chunks[reading] = .reading }
    }

    mutating func finish(_ outcome: ImportOutcome) {
        switch outcome {
        case .committed(let id):
            phase = .committed(releaseId: id)
            chunks = chunks.map { _ in .stored }
            progress.bytesDone = progress.bytesTotal
        case .duplicate(let id):
            phase = .duplicate(releaseId: id)
        case .failed(let message), .interrupted(let message):
            phase = outcome == .failed(message: message) ? .failed(message: message) : .stopped(message: message)
            chunks = chunks.map { [.inFlight, .retrying, .reading].contains($0) ? .failed : $0 }
        case .cancelled, .paused:
            phase = outcome == .paused ? .paused : .cancelled
            chunks = chunks.map { $0 == .stored ? .stored : .pending }
        }
        progress.inFlight = []
        progress.stalledSeconds = nil
    }

    /// Whether a stop may be asked for: the job still works and is not stopping.
    public var canStop: Bool { phase.isActive && phase != .cancelling && phase != .pausing }

    /// The user asked to stop the job, keeping (`pause`) or deleting (`cancel`) what it stored.
    public mutating func stop(_ mode: ImportStop.Mode) -> Command? {
        guard canStop else { return nil }
        phase = mode == .pause ? .pausing : .cancelling
        return .stopRun(jobId: id, mode)
    }

    /// The user asked to resume or retry: an interrupted job resumes in place; a failed or
    /// cancelled one starts again as a new job (the old one's stored objects are reused).
    public mutating func retry() -> Command? {
        switch phase {
        case .interrupted, .paused, .stopped:
            phase = .queued
            return .resumeRun(jobId: id)
        case .failed, .cancelled:
            return .restart(source: source, profileName: profileName)
        default:
            return nil
        }
    }

    public var storedChunks: Int { chunks.filter { $0 == .stored }.count }
}
