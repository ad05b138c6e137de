import Foundation
import GRDB

/// A row of `release_storage`: one release's copy on one profile.
public struct ReleaseStorageRecord: CatalogRecord, Hashable {
    public static let databaseTableName = "release_storage"

    /// Life cycle of a copy.
    public enum State: String, Codable, Sendable, Hashable {
        /// Every object and the manifest are stored.
        case stored
        /// Being removed; its objects may be partly gone.
        case deleting
    }

    public var id: Int64?
    public var releaseId: String
    public var profileId: Int64
    public var state: State
    public var manifestKey: String
    public var createdAt: Date
    public var updatedAt: Date
    /// When `crate verify` last read this copy, and what it found: "ok", or the problems in
    /// short. What `crate verify --sample` orders by and the release detail shows.
    public var verifiedAt: Date?
    public var verifyResult: String?

    public init(releaseId: String, profileId: Int64, state: State, manifestKey: String, now: Date = Date()) {
        self.releaseId = releaseId
        self.profileId = profileId
        self.state = state
        self.manifestKey = manifestKey
        self.createdAt = now
        self.updatedAt = now
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `chunks`: one stored object of a profile (a chunk, or a whole file's object).
public struct ChunkRecord: CatalogRecord, Hashable {
    public static let databaseTableName = "chunks"

    public var id: Int64?
    public var profileId: Int64
    public var objectKey: String
    public var storedSize: Int64
    public var plaintextSize: Int64

    public init(profileId: Int64, objectKey: String, storedSize: Int64, plaintextSize: Int64) {
        self.profileId = profileId
        self.objectKey = objectKey
        self.storedSize = storedSize
        self.plaintextSize = plaintextSize
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `file_chunks`: which bytes of which chunk hold a piece of a file.
public struct FileChunkRecord: CatalogRecord, Hashable {
    public static let databaseTableName = "file_chunks"

    public var fileId: Int64
    public var chunkId: Int64
    /// Order of this piece within the file.
    public var chunkIndex: Int
    /// Where the file's bytes start inside the chunk's plaintext.
    public var byteOffset: Int64
    public var byteLength: Int64

    public init(fileId: Int64, chunkId: Int64, chunkIndex: Int, byteOffset: Int64, byteLength: Int64) {
        self.fileId = fileId
        self.chunkId = chunkId
        self.chunkIndex = chunkIndex
        self.byteOffset = byteOffset
        self.byteLength = byteLength
    }
}
