import Foundation
import Synchronization

/// The stages of an import, in order (docs/architecture.md).
public enum ImportStage: String, Sendable, Codable, CaseIterable {
    case scan, identify, plan, transfer, commit, verify
}

/// Where a job's transfer stands: what the progress bar, the JSON stream and the TUI show.
/// Everything counted here is what the **store has acknowledged** (an S3 answer, a local file
/// synced and in place) or found already stored, never what was merely read from the source.
public struct ImportProgress: Sendable, Codable, Hashable {
    /// Plaintext bytes of the objects stored or found stored, and of all objects.
    public var bytesDone: Int64 = 0
    public var bytesTotal: Int64 = 0
    /// Of `bytesDone`, the bytes found already stored (a resume): they did not travel.
    public var bytesSkipped: Int64 = 0
    /// Objects stored or found stored, and all objects (the manifest included).
    public var objectsDone = 0
    public var objectsTotal = 0
    /// The objects whose puts are running, oldest first.
    public var inFlight: [ObjectInFlight] = []
    /// The file being read from the source folder.
    public var currentFile: String?
    public var retries = 0
    /// The latest retry of an object still in flight (cleared when nothing is retrying).
    public var retry: RetryNote?
    /// Bytes the store took per second over the last few seconds (`ImportProgress.rateWindow`).
    public var bytesPerSecond: Double = 0
    /// Seconds since the store last took a byte or acknowledged an object, when that is long
    /// enough to call the transfer stalled (`stallThreshold`).
    public var stalledSeconds: Double?

    public init() {}

    /// How far back the rate looks, in seconds.
    public static let rateWindow: Double = 8
    /// Seconds without movement after which a transfer is shown as stalled.
    public static let stallThreshold: Double = 3

    /// Seconds left at the current rate, when there is a rate.
    public var secondsRemaining: Double? {
        guard bytesPerSecond > 0, bytesTotal >= bytesDone else { return nil }
        return Double(bytesTotal - bytesDone) / bytesPerSecond
    }

    /// The files whose bytes are in flight, in order, each once.
    public var filesInFlight: [String] {
        var seen = Set<String>()
        return inFlight.flatMap(\.files).filter { seen.insert($0).inserted }
    }

    /// "stalled 12s · retry 2/6 (connection refused)", when the transfer is stalled.
    public var stallText: String? {
        guard let stalled = stalledSeconds else { return nil }
        var text = "stalled \(Int(stalled))s"
        if let retry { text += " · retry \(retry.attempt)/\(retry.maxAttempts) (\(retry.reason))" }
        return text
    }
}

/// One object whose put is running.
public struct ObjectInFlight: Sendable, Codable, Hashable {
    /// The chunk's ordinal, or the file's index (whole-file layout): its cell in the chunk map.
    public var cell: Int
    public var files: [String]
    /// Bytes of its stored form the store has taken, of `bytesTotal` (when known).
    public var bytesSent: Int64
    public var bytesTotal: Int64?
    /// The attempt that failed last, while the put is being retried.
    public var failedAttempt: Int?

    public init(cell: Int, files: [String], bytesSent: Int64 = 0, bytesTotal: Int64?, failedAttempt: Int? = nil) {
        self.cell = cell
        self.files = files
        self.bytesSent = bytesSent
        self.bytesTotal = bytesTotal
        self.failedAttempt = failedAttempt
    }

    /// How much of it has been handed to the store, 0…1 (0 when its size is unknown).
    public var fraction: Double {
        guard let total = bytesTotal, total > 0 else { return 0 }
        return min(1, Double(bytesSent) / Double(total))
    }
}

/// A retry of a request, as the progress shows it.
public struct RetryNote: Sendable, Codable, Hashable {
    /// The attempt that failed, counting from 1, of at most `maxAttempts`.
    public var attempt: Int
    public var maxAttempts: Int
    public var reason: String
    /// The object concerned, when known.
    public var cell: Int?

    public init(attempt: Int, maxAttempts: Int, reason: String, cell: Int?) {
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.reason = reason
        self.cell = cell
    }
}

/// What happened to one object of a job's transfer (the chunk map's cells).
public enum ObjectTransferState: Sendable, Hashable {
    /// Its put began: it is in flight.
    case started
    /// The store acknowledged it.
    case confirmed
    /// It was found already stored (a resume): nothing was sent.
    case alreadyStored
    /// Its put failed (or was cancelled).
    case failed(reason: String)
}

/// How a job ended.
public enum ImportOutcome: Sendable, Hashable {
    case committed(releaseId: String)
    /// An identical release was already on the profile; nothing was stored.
    case duplicate(releaseId: String)
    case failed(message: String)
    /// Stopped by something outside the job — storage that still failed after every retry, a
    /// full disk, a store lock lost — with the job kept, what it stored included:
    /// `crate import --resume` continues it once the cause has passed.
    case interrupted(message: String)
    /// Stopped on request, deleting what it had stored (`ImportStop.cancel`).
    case cancelled
    /// Stopped on request, keeping what it had stored (`ImportStop.pause`): the job stays
    /// unfinished and resumes where it stopped.
    case paused
}

/// How a running job stops when its task is cancelled: set before cancelling. Pausing keeps
/// what the job stored, and the job resumes later (`crate import --resume`, `r` in the
/// queue), skipping it; cancelling deletes what it stored that nothing else uses.
public final class ImportStop: Sendable {
    public enum Mode: Sendable, Hashable { case pause, cancel }

    private let state: Mutex<Mode>

    public init(_ mode: Mode = .cancel) { state = Mutex(mode) }

    public var mode: Mode {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}

/// One thing that happened in an import job. The headless CLI prints these (as a progress bar
/// or JSON lines) and the TUI turns them into actions: one stream for both.
public enum ImportEvent: Sendable {
    case stage(job: String, ImportStage)
    case warning(job: String, String)
    case identified(job: String, IdentifiedRelease)
    case planned(job: String, ImportPlan)
    /// An object is on storage: stored now, or found already stored (`skipped`, on resume).
    case object(job: String, sequence: Int, key: String, plaintextSize: Int64, skipped: Bool)
    /// An object's put began, was acknowledged, or failed; `cell` is its place in the chunk map.
    case transfer(job: String, cell: Int, ObjectTransferState)
    case progress(job: String, ImportProgress)
    case retry(job: String, RetryNote, operation: String)
    /// The audio check found a source file damaged (`file` is its path in the release). The
    /// job fails before its commit unless it allows damage.
    case audioDamaged(job: String, file: String, reason: String)
    case finished(job: String, ImportOutcome)

    public var job: String {
        switch self {
        case .stage(let job, _), .warning(let job, _), .identified(let job, _), .planned(let job, _),
            .object(let job, _, _, _, _), .transfer(let job, _, _), .progress(let job, _), .retry(let job, _, _),
            .audioDamaged(let job, _, _), .finished(let job, _):
            job
        }
    }
}

extension ImportEvent: Encodable {
    private enum Keys: String, CodingKey {
        case event, job, stage, message, release, plan, sequence, key, bytes, skipped, progress, operation, attempt
        case outcome, cell, state, maxAttempts, file
    }

    /// One JSON object per event, `event` naming its kind (the `--json` stream).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(job, forKey: .job)
        switch self {
        case .stage(_, let stage):
            try container.encode("stage", forKey: .event)
            try container.encode(stage, forKey: .stage)
        case .warning(_, let message):
            try container.encode("warning", forKey: .event)
            try container.encode(message, forKey: .message)
        case .identified(_, let release):
            try container.encode("identified", forKey: .event)
            try container.encode(release, forKey: .release)
        case .planned(_, let plan):
            try container.encode("planned", forKey: .event)
            try container.encode(plan, forKey: .plan)
        case .object(_, let sequence, let key, let bytes, let skipped):
            try container.encode("object", forKey: .event)
            try container.encode(sequence, forKey: .sequence)
            try container.encode(key, forKey: .key)
            try container.encode(bytes, forKey: .bytes)
            try container.encode(skipped, forKey: .skipped)
        case .transfer(_, let cell, let state):
            try container.encode("transfer", forKey: .event)
            try container.encode(cell, forKey: .cell)
            switch state {
            case .started: try container.encode("started", forKey: .state)
            case .confirmed: try container.encode("confirmed", forKey: .state)
            case .alreadyStored: try container.encode("alreadyStored", forKey: .state)
            case .failed(let reason):
                try container.encode("failed", forKey: .state)
                try container.encode(reason, forKey: .message)
            }
        case .progress(_, let progress):
            try container.encode("progress", forKey: .event)
            try container.encode(progress, forKey: .progress)
        case .retry(_, let note, let operation):
            try container.encode("retry", forKey: .event)
            try container.encode(operation, forKey: .operation)
            try container.encode(note.attempt, forKey: .attempt)
            try container.encode(note.maxAttempts, forKey: .maxAttempts)
            try container.encode(note.reason, forKey: .message)
            try container.encodeIfPresent(note.cell, forKey: .cell)
        case .audioDamaged(_, let file, let reason):
            try container.encode("audioDamaged", forKey: .event)
            try container.encode(file, forKey: .file)
            try container.encode(reason, forKey: .message)
        case .finished(_, let outcome):
            try container.encode("finished", forKey: .event)
            switch outcome {
            case .committed(let id):
                try container.encode("committed", forKey: .outcome)
                try container.encode(id, forKey: .release)
            case .duplicate(let id):
                try container.encode("duplicate", forKey: .outcome)
                try container.encode(id, forKey: .release)
            case .failed(let message):
                try container.encode("failed", forKey: .outcome)
                try container.encode(message, forKey: .message)
            case .interrupted(let message):
                try container.encode("interrupted", forKey: .outcome)
                try container.encode(message, forKey: .message)
            case .cancelled:
                try container.encode("cancelled", forKey: .outcome)
            case .paused:
                try container.encode("paused", forKey: .outcome)
            }
        }
    }
}
