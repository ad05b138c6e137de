import Foundation

/// The stages of an import, in order (DESIGN §6).
public enum ImportStage: String, Sendable, Codable, CaseIterable {
    case scan, identify, plan, transfer, commit, verify
}

/// Where a job's transfer stands: what the progress bar, the JSON stream and the TUI show.
public struct ImportProgress: Sendable, Codable, Hashable {
    public var bytesDone: Int64 = 0
    public var bytesTotal: Int64 = 0
    public var objectsDone = 0
    public var objectsTotal = 0
    public var currentFile: String?
    public var currentChunk: Int?
    public var retries = 0
    public var bytesPerSecond: Double = 0

    public init() {}

    /// Seconds left at the current rate, when there is a rate.
    public var secondsRemaining: Double? {
        guard bytesPerSecond > 0, bytesTotal >= bytesDone else { return nil }
        return Double(bytesTotal - bytesDone) / bytesPerSecond
    }
}

/// How a job ended.
public enum ImportOutcome: Sendable, Hashable {
    case committed(releaseId: String)
    /// An identical release was already on the profile; nothing was stored.
    case duplicate(releaseId: String)
    case failed(message: String)
    case cancelled
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
    case progress(job: String, ImportProgress)
    case retry(job: String, operation: String, attempt: Int, message: String)
    case finished(job: String, ImportOutcome)

    public var job: String {
        switch self {
        case .stage(let job, _), .warning(let job, _), .identified(let job, _), .planned(let job, _),
            .object(let job, _, _, _, _), .progress(let job, _), .retry(let job, _, _, _), .finished(let job, _):
            job
        }
    }
}

extension ImportEvent: Encodable {
    private enum Keys: String, CodingKey {
        case event, job, stage, message, release, plan, sequence, key, bytes, skipped, progress, operation, attempt
        case outcome
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
        case .progress(_, let progress):
            try container.encode("progress", forKey: .event)
            try container.encode(progress, forKey: .progress)
        case .retry(_, let operation, let attempt, let message):
            try container.encode("retry", forKey: .event)
            try container.encode(operation, forKey: .operation)
            try container.encode(attempt, forKey: .attempt)
            try container.encode(message, forKey: .message)
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
            case .cancelled:
                try container.encode("cancelled", forKey: .outcome)
            }
        }
    }
}
