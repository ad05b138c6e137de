import Foundation
import GRDB

/// A row of `releases`: one album edition. Visible only once its import has committed.
public struct ReleaseRecord: CatalogRecord, Hashable {
    public static let databaseTableName = "releases"

    public var id: String
    public var artist: String
    public var title: String
    public var year: Int?
    public var label: String?
    public var catalogNumber: String?
    public var folderName: String
    public var sourcePath: String?
    public var contentHash: String
    public var totalBytes: Int64
    public var createdAt: Date
    /// Imported with `--allow-damaged` while an audio check found a damaged file: the damage
    /// is known and was accepted, not missed.
    public var allowedDamaged: Bool

    public init(
        id: String, artist: String, title: String, year: Int? = nil, label: String? = nil,
        catalogNumber: String? = nil, folderName: String, sourcePath: String? = nil,
        contentHash: String, totalBytes: Int64, createdAt: Date = Date(), allowedDamaged: Bool = false
    ) {
        self.id = id
        self.artist = artist
        self.title = title
        self.year = year
        self.label = label
        self.catalogNumber = catalogNumber
        self.folderName = folderName
        self.sourcePath = sourcePath
        self.contentHash = contentHash
        self.totalBytes = totalBytes
        self.createdAt = createdAt
        self.allowedDamaged = allowedDamaged
    }

    /// Decodes a row by column, not through `Codable`: listing 100,000 releases (the terminal
    /// UI's start-up) spent most of its time converting snake_case keys per row.
    public init(row: Row) throws {
        id = row["id"]
        artist = row["artist"]
        title = row["title"]
        year = row["year"]
        label = row["label"]
        catalogNumber = row["catalog_number"]
        folderName = row["folder_name"]
        sourcePath = row["source_path"]
        contentHash = row["content_hash"]
        totalBytes = row["total_bytes"]
        createdAt = row["created_at"]
        allowedDamaged = row["allowed_damaged"]
    }
}

/// A row of `files`: one file of a release, by its path relative to the release folder.
public struct FileRecord: CatalogRecord, Hashable {
    public static let databaseTableName = "files"

    public var id: Int64?
    public var releaseId: String
    public var relativePath: String
    public var size: Int64
    /// Lowercase hex SHA-256 of the plaintext.
    public var sha256: String
    public var mediaType: String
    /// STREAMINFO's MD5 of the decoded audio (lowercase hex) for a FLAC file that has one: what
    /// a stored copy must decode to. `nil` for other files and for FLAC without an MD5.
    public var audioMd5: String?
    /// When the file's audio was last checked (at import, or by `crate verify --audio`).
    public var audioCheckedAt: Date?
    /// What that check found: "intact", "cannot check: …" or "damaged: …" (`AudioCheckText`).
    public var audioResult: String?

    public init(releaseId: String, relativePath: String, size: Int64, sha256: String, mediaType: String) {
        self.releaseId = releaseId
        self.relativePath = relativePath
        self.size = size
        self.sha256 = sha256
        self.mediaType = mediaType
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `tracks`: the audio facts of one file.
public struct TrackRecord: CatalogRecord, Hashable {
    public static let databaseTableName = "tracks"

    public var id: Int64?
    public var releaseId: String
    public var fileId: Int64
    public var discNumber: Int?
    public var trackNumber: Int?
    public var title: String?
    public var artist: String?
    public var durationMs: Int?

    public init(
        releaseId: String, fileId: Int64, discNumber: Int?, trackNumber: Int?, title: String?, artist: String?,
        durationMs: Int?
    ) {
        self.releaseId = releaseId
        self.fileId = fileId
        self.discNumber = discNumber
        self.trackNumber = trackNumber
        self.title = title
        self.artist = artist
        self.durationMs = durationMs
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `images`: cover art and other pictures of a release.
public struct ImageRecord: CatalogRecord, Hashable {
    public static let databaseTableName = "images"

    /// What the picture shows, from its file name.
    public enum Kind: String, Codable, Sendable, Hashable {
        case front, back, other
    }

    public var id: Int64?
    public var releaseId: String
    public var fileId: Int64
    public var kind: Kind
    public var width: Int?
    public var height: Int?

    public init(releaseId: String, fileId: Int64, kind: Kind, width: Int?, height: Int?) {
        self.releaseId = releaseId
        self.fileId = fileId
        self.kind = kind
        self.width = width
        self.height = height
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
