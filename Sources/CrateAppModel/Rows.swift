import CrateImporter
import Foundation

/// One storage profile as the Profiles table shows it.
public struct ProfileRow: Hashable, Sendable {
    public var name: String
    /// The path, or `s3://bucket/prefix @ endpoint`.
    public var location: String
    public var isS3: Bool
    public var encrypted: Bool
    public var chunked: Bool
    public var chunkSize: Int?
    public var isDefault: Bool
    public var releases: Int
    public var bytes: Int64
    /// An encrypted profile whose passphrase this session has (typed, or from
    /// `CRATE_PASSPHRASE` / `--passphrase-file`): work on it goes ahead without asking.
    public var unlocked: Bool

    public init(
        name: String, location: String, isS3: Bool = false, encrypted: Bool, chunked: Bool, chunkSize: Int? = nil,
        isDefault: Bool = false, releases: Int = 0, bytes: Int64 = 0, unlocked: Bool = false
    ) {
        self.unlocked = unlocked
        self.name = name
        self.location = location
        self.isS3 = isS3
        self.encrypted = encrypted
        self.chunked = chunked
        self.chunkSize = chunkSize
        self.isDefault = isDefault
        self.releases = releases
        self.bytes = bytes
    }
}

extension ProfileRow {
    /// Encrypted and not unlocked: work on it needs the passphrase first.
    public var isLocked: Bool { encrypted && !unlocked }
}

/// One release as the Releases list shows it.
public struct ReleaseRow: Hashable, Sendable {
    public var id: String
    public var artist: String
    public var title: String
    public var year: Int?
    public var totalBytes: Int64
    public var profiles: [String]
    public var addedAt: Date
    /// The record label and catalogue number, when the tags had them (the filter finds them).
    public var label: String?
    public var catalogNumber: String?

    public init(
        id: String, artist: String, title: String, year: Int? = nil, totalBytes: Int64, profiles: [String],
        addedAt: Date = Date(timeIntervalSince1970: 0), label: String? = nil, catalogNumber: String? = nil
    ) {
        self.id = id
        self.artist = artist
        self.title = title
        self.year = year
        self.totalBytes = totalBytes
        self.profiles = profiles
        self.addedAt = addedAt
        self.label = label
        self.catalogNumber = catalogNumber
    }
}

/// Everything the detail pane shows about one release.
public struct ReleaseDetail: Hashable, Sendable {
    public struct File: Hashable, Sendable {
        public var path: String
        public var size: Int64
        public var durationMs: Int?
        public var title: String?
        /// The file's pieces on the first copy's profile, in file order (empty when whole-file).
        public var pieces: [Piece]

        public init(path: String, size: Int64, durationMs: Int? = nil, title: String? = nil, pieces: [Piece] = []) {
            self.path = path
            self.size = size
            self.durationMs = durationMs
            self.title = title
            self.pieces = pieces
        }
    }

    /// One row of the file-chunk mapping.
    public struct Piece: Hashable, Sendable {
        public var chunkIndex: Int
        public var objectKey: String
        public var byteOffset: Int64
        public var byteLength: Int64

        public init(chunkIndex: Int, objectKey: String, byteOffset: Int64, byteLength: Int64) {
            self.chunkIndex = chunkIndex
            self.objectKey = objectKey
            self.byteOffset = byteOffset
            self.byteLength = byteLength
        }
    }

    public var id: String
    public var artist: String
    public var title: String
    public var year: Int?
    public var label: String?
    public var catalogNumber: String?
    public var files: [File]
    /// Names of the profiles holding a copy, with the copy's state.
    public var copies: [String]
    /// When `crate verify` last read each copy, and what it found.
    public var verifications: [Verification]
    /// The file to show as the cover (the first front image, else the first image), if any.
    public var cover: String?

    /// The last verify of one copy.
    public struct Verification: Hashable, Sendable {
        public var profile: String
        /// `nil`: never verified.
        public var date: Date?
        /// "ok", or the problems in short.
        public var result: String?

        public init(profile: String, date: Date?, result: String?) {
            self.profile = profile
            self.date = date
            self.result = result
        }

        public var isOK: Bool { date == nil || result == "ok" }
    }

    public init(
        id: String, artist: String, title: String, year: Int? = nil, label: String? = nil,
        catalogNumber: String? = nil, files: [File], copies: [String], verifications: [Verification] = [],
        cover: String? = nil
    ) {
        self.id = id
        self.artist = artist
        self.title = title
        self.year = year
        self.label = label
        self.catalogNumber = catalogNumber
        self.files = files
        self.copies = copies
        self.verifications = verifications
        self.cover = cover
    }
}

/// One entry of the folder browser.
public struct FolderEntry: Hashable, Sendable {
    public var name: String
    public var isDirectory: Bool
    public var size: Int64

    public init(name: String, isDirectory: Bool, size: Int64 = 0) {
        self.name = name
        self.isDirectory = isDirectory
        self.size = size
    }
}

/// What the review panel shows about a folder before it is imported.
public struct ReleaseReview: Hashable, Sendable {
    public struct Track: Hashable, Sendable {
        public var path: String
        public var number: Int?
        public var title: String?
        public var durationMs: Int?
        /// The disc, for a release on several.
        public var disc: Int?

        public init(path: String, number: Int? = nil, title: String? = nil, durationMs: Int? = nil, disc: Int? = nil) {
            self.path = path
            self.number = number
            self.title = title
            self.durationMs = durationMs
            self.disc = disc
        }
    }

    /// The preflight plan on the chosen profile.
    public struct Plan: Hashable, Sendable {
        public var files: Int
        public var bytes: Int64
        public var objects: Int
        public var requests: Int
        public var estimatedSeconds: Double

        public init(files: Int, bytes: Int64, objects: Int, requests: Int, estimatedSeconds: Double) {
            self.files = files
            self.bytes = bytes
            self.objects = objects
            self.requests = requests
            self.estimatedSeconds = estimatedSeconds
        }
    }

    public var path: String
    public var artist: String
    public var title: String
    public var year: Int?
    public var tracks: [Track]
    public var cover: String?
    public var warnings: [String]
    public var profileName: String
    public var plan: Plan
    /// What the catalog already holds of these files: the same release on this profile
    /// (importing adds nothing) or on others (importing adds a copy).
    public var catalogNote: String?
    /// Set when the folder holds several releases (a collection): the release folders found,
    /// in import order, and the folders left out with why. `plan` then sums every release.
    public var batch: Batch?
    /// The audio check of the release's FLAC and MP3 files, run while the review is shown;
    /// `nil` when it has none.
    public var audio: AudioPreflight?

    /// The releases a folder of releases holds.
    public struct Batch: Hashable, Sendable {
        public var releases: [String]
        public var skipped: [SkippedSource]

        public init(releases: [String], skipped: [SkippedSource] = []) {
            self.releases = releases
            self.skipped = skipped
        }
    }

    public init(
        path: String, artist: String, title: String, year: Int? = nil, tracks: [Track], cover: String? = nil,
        warnings: [String] = [], profileName: String, plan: Plan, catalogNote: String? = nil, batch: Batch? = nil,
        audio: AudioPreflight? = nil
    ) {
        self.audio = audio
        self.catalogNote = catalogNote
        self.batch = batch
        self.path = path
        self.artist = artist
        self.title = title
        self.year = year
        self.tracks = tracks
        self.cover = cover
        self.warnings = warnings
        self.profileName = profileName
        self.plan = plan
    }
}
