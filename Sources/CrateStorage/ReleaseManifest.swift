import Foundation

/// What identifies a release on storage, and the metadata `crate recover` needs.
public struct ReleaseInfo: Codable, Hashable, Sendable {
    /// Stable id chosen by the importer (a UUID, say): letters, digits, `-` and `_` only.
    public var id: String
    public var artist: String
    public var title: String
    public var year: Int?
    /// Further metadata (label, catalog number, ...) the storage engine does not interpret.
    public var extra: [String: String]

    public init(id: String, artist: String, title: String, year: Int? = nil, extra: [String: String] = [:]) {
        self.id = id
        self.artist = artist
        self.title = title
        self.year = year
        self.extra = extra
    }

    /// The first 8 characters of the id, shown in readable folder names.
    public var shortID: String { String(id.prefix(8)) }

    func validate() throws(StorageError) {
        let allowed =
            !id.isEmpty && id.count <= 64
            && id.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
            }
        guard allowed else { throw .invalidKey(ObjectNaming.manifestKey(releaseID: id)) }
    }
}

/// One file of a stored release.
public struct ManifestFile: Codable, Hashable, Sendable {
    /// Position in the release's file list, sorted by the UTF-8 bytes of `path`.
    public var index: Int
    /// Path relative to the release folder, `/`-separated.
    public var path: String
    public var size: Int64
    /// SHA-256 of the plaintext, lowercase hex.
    public var sha256: String
    /// The object holding the file (whole-file layout); `nil` when chunked.
    public var objectKey: String?
    /// Size of that object; `nil` when chunked.
    public var storedSize: Int64?

    public init(index: Int, path: String, size: Int64, sha256: String, objectKey: String?, storedSize: Int64?) {
        self.index = index
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.objectKey = objectKey
        self.storedSize = storedSize
    }
}

/// Everything stored about one release copy, kept at `manifests/<release id>` (sealed on
/// sealed profiles): enough for `crate recover` to rebuild the catalog from storage alone.
public struct ReleaseManifest: Codable, Hashable, Sendable {
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var release: ReleaseInfo
    public var encrypted: Bool
    /// Chunk size when chunked; `nil` for the whole-file layout.
    public var chunkSize: Int?
    public var files: [ManifestFile]
    /// Chunks in stream order (empty for the whole-file layout).
    public var chunks: [ChunkRecord]
    /// The file-chunk mapping (empty for the whole-file layout).
    public var mapping: [FileChunkPiece]
    public var created: Date

    public init(
        formatVersion: Int = currentFormatVersion, release: ReleaseInfo, encrypted: Bool, chunkSize: Int?,
        files: [ManifestFile], chunks: [ChunkRecord], mapping: [FileChunkPiece], created: Date
    ) {
        self.formatVersion = formatVersion
        self.release = release
        self.encrypted = encrypted
        self.chunkSize = chunkSize
        self.files = files
        self.chunks = chunks
        self.mapping = mapping
        self.created = created
    }

    /// The manifest's key in the profile's store.
    public var objectKey: String { ObjectNaming.manifestKey(releaseID: release.id) }

    /// Every object the release uses (files or chunks, not the manifest), without repeats.
    public var objectKeys: [String] {
        var seen = Set<String>()
        return (files.compactMap(\.objectKey) + chunks.map(\.objectKey)).filter { seen.insert($0).inserted }
    }

    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(self))
    }

    public static func parse(_ bytes: [UInt8], key: String) throws -> ReleaseManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let manifest: ReleaseManifest
        do {
            manifest = try decoder.decode(ReleaseManifest.self, from: Data(bytes))
        } catch {
            throw StorageError.malformedDocument(key: key, reason: "\(error)")
        }
        guard manifest.formatVersion == currentFormatVersion else {
            throw StorageError.unsupportedDocumentVersion(key: key, version: manifest.formatVersion)
        }
        return manifest
    }
}
