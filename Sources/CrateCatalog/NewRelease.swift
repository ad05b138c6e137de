import Foundation

/// Everything an import commits in one transaction: the release, its files with their audio
/// and image facts, the objects stored on the profile, and which bytes of which object hold
/// each file. Indices refer to positions in `files` and `objects`; the catalog assigns ids.
public struct NewRelease: Sendable {
    public struct File: Sendable {
        public var relativePath: String
        public var size: Int64
        public var sha256: String
        public var mediaType: String
        public var track: Track?
        public var image: Image?
        /// The audio check of the file, for formats Crate checks.
        public var audio: AudioCheckRecord?

        public init(
            relativePath: String, size: Int64, sha256: String, mediaType: String, track: Track? = nil,
            image: Image? = nil, audio: AudioCheckRecord? = nil
        ) {
            self.relativePath = relativePath
            self.size = size
            self.sha256 = sha256
            self.mediaType = mediaType
            self.track = track
            self.image = image
            self.audio = audio
        }
    }

    public struct Track: Sendable {
        public var discNumber: Int?
        public var trackNumber: Int?
        public var title: String?
        public var artist: String?
        public var durationMs: Int?

        public init(discNumber: Int?, trackNumber: Int?, title: String?, artist: String?, durationMs: Int?) {
            self.discNumber = discNumber
            self.trackNumber = trackNumber
            self.title = title
            self.artist = artist
            self.durationMs = durationMs
        }
    }

    public struct Image: Sendable {
        public var kind: ImageRecord.Kind
        public var width: Int?
        public var height: Int?

        public init(kind: ImageRecord.Kind, width: Int?, height: Int?) {
            self.kind = kind
            self.width = width
            self.height = height
        }
    }

    public struct Object: Sendable {
        public var objectKey: String
        public var storedSize: Int64
        public var plaintextSize: Int64

        public init(objectKey: String, storedSize: Int64, plaintextSize: Int64) {
            self.objectKey = objectKey
            self.storedSize = storedSize
            self.plaintextSize = plaintextSize
        }
    }

    /// One (file, object) piece of the file-chunk mapping.
    public struct Piece: Sendable {
        public var fileIndex: Int
        public var objectIndex: Int
        public var chunkIndex: Int
        public var byteOffset: Int64
        public var byteLength: Int64

        public init(fileIndex: Int, objectIndex: Int, chunkIndex: Int, byteOffset: Int64, byteLength: Int64) {
            self.fileIndex = fileIndex
            self.objectIndex = objectIndex
            self.chunkIndex = chunkIndex
            self.byteOffset = byteOffset
            self.byteLength = byteLength
        }
    }

    public var release: ReleaseRecord
    public var files: [File]
    public var objects: [Object]
    public var pieces: [Piece]
    public var profileId: Int64
    public var manifestKey: String

    public init(
        release: ReleaseRecord, files: [File], objects: [Object], pieces: [Piece], profileId: Int64,
        manifestKey: String
    ) {
        self.release = release
        self.files = files
        self.objects = objects
        self.pieces = pieces
        self.profileId = profileId
        self.manifestKey = manifestKey
    }
}
