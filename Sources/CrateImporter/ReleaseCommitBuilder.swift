import CrateCatalog
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
        let release = ReleaseRecord(
            id: manifest.release.id, artist: identified.artist, title: identified.title, year: identified.year,
            label: identified.label, catalogNumber: identified.catalogNumber,
            folderName: (folder as NSString).lastPathComponent, sourcePath: folder,
            contentHash: contentHash(manifest.files), totalBytes: manifest.files.reduce(0) { $0 + $1.size })
        return NewRelease(
            release: release, files: files, objects: objects, pieces: pieces, profileId: profileId,
            manifestKey: manifest.objectKey)
    }

    /// SHA-256 over "path NUL sha256 LF" for every file in path order: equal for releases with
    /// identical files, whatever profile or layout they are stored with.
    static func contentHash(_ files: [ManifestFile]) -> String {
        var hasher = SHA256()
        for file in files.sorted(by: { ObjectKey.precedes($0.path, $1.path) }) {
            hasher.update(data: Data((file.path + "\0" + file.sha256 + "\n").utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

typealias ImageRecordKind = ImageRecord.Kind
