import Foundation
import GRDB

/// A row of `import_jobs`: one source folder on its way to one profile. Persisted so that a
/// crash leaves enough behind to resume.
public struct ImportJobRecord: CatalogRecord, Hashable {
    public static let databaseTableName = "import_jobs"

    /// Where a job is in its life (docs/architecture.md).
    public enum State: String, Codable, Sendable, Hashable, CaseIterable {
        case queued, scanning, identifying, planning, transferring, committing, verifying
        case committed, failed, cancelled

        /// Whether the job has ended and will not move again.
        public var isFinished: Bool { self == .committed || self == .failed || self == .cancelled }
    }

    public var id: String
    public var sourcePath: String
    public var profileId: Int64
    public var state: State
    public var releaseId: String?
    public var bytesTotal: Int64
    public var bytesDone: Int64
    public var errorMessage: String?
    /// Whether the scan stores the targets of links pointing outside the release folder.
    public var followLinksOutside: Bool = false
    /// Whether the job commits even when an audio check finds a damaged file
    /// (`crate import --allow-damaged`); the release then records it.
    public var allowDamaged: Bool = false
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, sourcePath: String, profileId: Int64, state: State = .queued, now: Date = Date()) {
        self.id = id
        self.sourcePath = sourcePath
        self.profileId = profileId
        self.state = state
        self.bytesTotal = 0
        self.bytesDone = 0
        self.createdAt = now
        self.updatedAt = now
    }
}

/// A row of `import_job_objects`: one object a job has stored (or is storing).
public struct ImportJobObjectRecord: CatalogRecord, Hashable {
    public static let databaseTableName = "import_job_objects"

    /// Progress of one object.
    public enum State: String, Codable, Sendable, Hashable {
        case stored
    }

    public var jobId: String
    public var sequence: Int
    public var objectKey: String
    public var state: State
    public var storedSize: Int64
    public var plaintextSize: Int64
    /// For a whole file: the SHA-256 (hex) of its plaintext, which resume compares with the
    /// source before keeping the object. `nil` for chunks (their names say their content).
    public var sha256: String?
    public var updatedAt: Date

    public init(
        jobId: String, sequence: Int, objectKey: String, state: State, storedSize: Int64, plaintextSize: Int64,
        sha256: String? = nil, now: Date = Date()
    ) {
        self.jobId = jobId
        self.sequence = sequence
        self.objectKey = objectKey
        self.state = state
        self.storedSize = storedSize
        self.plaintextSize = plaintextSize
        self.sha256 = sha256
        self.updatedAt = now
    }
}
