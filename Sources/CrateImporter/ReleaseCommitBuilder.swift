import CrateCatalog
import CrateCore
import CrateStorage
import Crypto
import Foundation

/// Turns what the storage engine wrote (the manifest) and what identify found into the values
/// the catalog commits. The mapping comes from the manifest as written: no offsets computed here.
enum ReleaseCommitBuilder {
    static func build(
        manifest: ReleaseManifest, identified: IdentifiedRelease, folder: String, profileId: Int64
    ) -> NewRelease {
        let tracks = Dictionary(identified.tracks.map { ($0.relativePath, $0.tags) }, uniquingKeysWith: { a, _ in a })
        let images = Dictionary(identified.images.map { ($0.relativePath, $0) }, uniquingKeysWith: { a, _ in a })
        let files = manifest.files.map { file in
            NewRelease.File(
                relativePath: file.path, size: file.size, sha256: file.sha256, mediaType: MediaType.of(path: file.path),
                track: tracks[file.path].map {
                    .init(
                        discNumber: $0.discNumber, trackNumber: $0.trackNumber, title: $0.title, artist: $0.artist,
                        durationMs: $0.durationMs)
                },
                image: images[file.path].map {
                    .init(
                        kind: ImageRecordKind(rawValue: $0.kind.rawValue) ?? .other, width: $0.width, height: $0.height)
                })
        }
        let (objects, pieces) = storedObjects(manifest)
        let release = ReleaseRecord(
            id: manifest.release.id, artist: identified.artist, title: identified.title, year: identified.year,
            label: identified.label, catalogNumber: identified.catalogNumber,
            folderName: (folder as NSString).lastPathComponent, sourcePath: folder,
            contentHash: contentHash(manifest.files), totalBytes: manifest.files.reduce(0) { $0 + $1.size })
        return NewRelease(
            release: release, files: files, objects: objects, pieces: pieces, profileId: profileId,
            manifestKey: manifest.objectKey)
    }

    /// A copy of a catalogued release on another profile: the release and files as the
    /// catalog has them (`commitRelease` keeps the existing rows), objects and mapping from
    /// the destination's manifest.
    static func build(
        manifest: ReleaseManifest, release: ReleaseRecord, files: [FileRecord], profileId: Int64
    ) -> NewRelease {
        let byPath = Dictionary(files.map { ($0.relativePath, $0) }, uniquingKeysWith: { first, _ in first })
        let newFiles = manifest.files.map { file in
            NewRelease.File(
                relativePath: file.path, size: file.size, sha256: byPath[file.path]?.sha256 ?? file.sha256,
                mediaType: byPath[file.path]?.mediaType ?? MediaType.of(path: file.path))
        }
        let (objects, pieces) = storedObjects(manifest)
        return NewRelease(
            release: release, files: newFiles, objects: objects, pieces: pieces, profileId: profileId,
            manifestKey: manifest.objectKey)
    }

    /// A release known only from its manifest (`crate recover`): the metadata the manifest
    /// carries; track and image facts are not stored there.
    static func build(recovered manifest: ReleaseManifest, profileId: Int64) -> NewRelease {
        let info = manifest.release
        let files = manifest.files.map { file in
            NewRelease.File(
                relativePath: file.path, size: file.size, sha256: file.sha256, mediaType: MediaType.of(path: file.path))
        }
        let (objects, pieces) = storedObjects(manifest)
        let folder = "\(info.artist) - \(info.title)" + (info.year.map { " (\($0))" } ?? "")
        let release = ReleaseRecord(
            id: info.id, artist: info.artist, title: info.title, year: info.year, label: info.extra["label"],
            catalogNumber: info.extra["catalogNumber"], folderName: folder, sourcePath: nil,
            contentHash: contentHash(manifest.files), totalBytes: manifest.files.reduce(0) { $0 + $1.size },
            createdAt: manifest.created)
        return NewRelease(
            release: release, files: files, objects: objects, pieces: pieces, profileId: profileId,
            manifestKey: manifest.objectKey)
    }

    /// The objects a manifest names and its file-chunk mapping, as catalog values; for the
    /// whole-file layout each file is one object holding the whole file.
    static func storedObjects(_ manifest: ReleaseManifest) -> ([NewRelease.Object], [NewRelease.Piece]) {
        var objects: [NewRelease.Object] = []
        var pieces: [NewRelease.Piece] = []
        if manifest.chunkSize != nil {
            let objectIndex = Dictionary(
                manifest.chunks.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            objects = manifest.chunks.map {
                .init(objectKey: $0.objectKey, storedSize: $0.storedSize, plaintextSize: $0.plaintextSize)
            }
            pieces = manifest.mapping.compactMap { piece in
                objectIndex[piece.chunkID].map {
                    .init(
                        fileIndex: piece.fileIndex, objectIndex: $0, chunkIndex: piece.chunkIndex,
                        byteOffset: piece.byteOffset, byteLength: piece.byteLength)
                }
            }
        } else {
            for (index, file) in manifest.files.enumerated() {
                guard let key = file.objectKey else { continue }
                pieces.append(
                    .init(
                        fileIndex: index, objectIndex: objects.count, chunkIndex: 0, byteOffset: 0,
                        byteLength: file.size))
                objects.append(
                    .init(objectKey: key, storedSize: file.storedSize ?? file.size, plaintextSize: file.size))
            }
        }
        return (objects, pieces)
    }

    /// SHA-256 over "path NUL sha256 LF" for every file in path order: equal for releases with
    /// identical files, whatever profile or layout they are stored with.
    static func contentHash(_ files: [ManifestFile]) -> String {
        contentHash(files.map { ($0.path, $0.sha256) })
    }

    /// The same over (path, hex SHA-256) pairs, in any order.
    static func contentHash(_ files: [(path: String, sha256: String)]) -> String {
        var hasher = SHA256()
        for file in files.sorted(by: { ObjectKey.precedes($0.path, $1.path) }) {
            hasher.update(data: Data((file.path + "\0" + file.sha256 + "\n").utf8))
        }
        return Hex.string(hasher.finalize())
    }
}

typealias ImageRecordKind = ImageRecord.Kind
