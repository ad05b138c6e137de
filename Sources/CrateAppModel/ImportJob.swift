import CrateImporter

/// What the chunk map shows for one stored object.
public enum ChunkState: Hashable, Sendable {
    case pending, inFlight, stored, retrying, failed
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
        case cancelling
        case committed(releaseId: String)
        case duplicate(releaseId: String)
        case failed(message: String)
        case cancelled

        public var isFinished: Bool {
            switch self {
            case .committed, .duplicate, .failed, .cancelled: true
            default: false
            }
        }

        public var isActive: Bool {
            switch self {
            case .queued, .running, .cancelling: true
            default: false
            }
        }
    }

    /// What the store has to do after a transition.
    public enum Command: Hashable, Sendable {
        case cancelRun(jobId: String)
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

    /// Applies one event from the importer.
    public mutating func handle(_ event: ImportEvent) {
        switch event {
        case .stage(_, let stage):
            if phase != .cancelling { phase = .running(stage) }
            if stage == .transfer, let next = chunks.firstIndex(of: .pending) { chunks[next] = .inFlight }
        case .warning(_, let message):
            warnings.append(message)
        case .identified(_, let release):
            title = "\(release.artist) – \(release.title)"
        case .planned(_, let plan):
            progress.bytesTotal = plan.bytes
            progress.objectsTotal = plan.objects
            // The manifest is the last object; the map shows the release's own objects.
            chunks = Array(repeating: .pending, count: max(0, plan.objects - 1))
        case .object(_, let sequence, _, _, _):
            if sequence >= chunks.count {
                chunks += Array(repeating: .pending, count: sequence + 1 - chunks.count)
            }
            chunks[sequence] = .stored
            if let next = chunks.firstIndex(where: { $0 == .pending || $0 == .retrying }) {
                if chunks[next] == .pending { chunks[next] = .inFlight }
            }
        case .progress(_, let progress):
            self.progress = progress
        case .retry:
            progress.retries += 1
            if let current = chunks.firstIndex(where: { $0 == .inFlight || $0 == .pending }) {
                chunks[current] = .retrying
            }
        case .finished(_, let outcome):
            finish(outcome)
        }
    }

    mutating func finish(_ outcome: ImportOutcome) {
        switch outcome {
        case .committed(let id):
            phase = .committed(releaseId: id)
            chunks = chunks.map { _ in .stored }
            progress.bytesDone = progress.bytesTotal
        case .duplicate(let id):
            phase = .duplicate(releaseId: id)
        case .failed(let message):
            phase = .failed(message: message)
            if let current = chunks.firstIndex(where: { $0 == .inFlight || $0 == .retrying }) {
                chunks[current] = .failed
            }
        case .cancelled:
            phase = .cancelled
            chunks = chunks.map { $0 == .stored ? .stored : .pending }
        }
    }

    /// The user asked to cancel: only a job that is still working can be.
    public mutating func cancel() -> Command? {
        guard phase.isActive, phase != .cancelling else { return nil }
        phase = .cancelling
        return .cancelRun(jobId: id)
    }

    /// The user asked to resume or retry: an interrupted job resumes in place; a failed or
    /// cancelled one starts again as a new job (the old one's stored objects are reused).
    public mutating func retry() -> Command? {
        switch phase {
        case .interrupted:
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
