import CrateCatalog
import CrateStorage
import Foundation

/// A release copy as the catalog records it, in the shape the storage engine reads: files,
/// objects and the file-chunk mapping from the catalog's rows, so reading through it checks
/// storage against the catalog rather than against the stored manifest.
enum CatalogManifest {
    static func build(
        catalog: Catalog, release: ReleaseRecord, profile: StorageProfileRecord
    ) throws -> ReleaseManifest {
        let info = ReleaseInfo(id: release.id, artist: release.artist, title: release.title, year: release.year)
        var files: [ManifestFile] = []
        var chunks: [CrateStorage.ChunkRecord] = []
        var seen: Set<String> = []
        var mapping: [FileChunkPiece] = []
        let sorted = try catalog.files(ofRelease: release.id).sorted {
            ObjectKey.precedes($0.relativePath, $1.relativePath)
        }
        for (index, file) in sorted.enumerated() {
            let pieces = try catalog.pieces(ofFile: file.id!, onProfile: profile.id!)
            if profile.chunked {
                for piece in pieces {
                    // The catalog keeps no chunk ids; the object key identifies a chunk as well.
                    let id = piece.chunk.objectKey
                    if seen.insert(id).inserted {
                        chunks.append(
                            CrateStorage.ChunkRecord(
                                id: id, ordinal: chunks.count, objectKey: id, storedSize: piece.chunk.storedSize,
                                plaintextSize: piece.chunk.plaintextSize))
                    }
                    mapping.append(
                        FileChunkPiece(
                            fileIndex: index, chunkID: id, chunkIndex: piece.mapping.chunkIndex,
                            byteOffset: piece.mapping.byteOffset, byteLength: piece.mapping.byteLength))
                }
                files.append(
                    ManifestFile(
                        index: index, path: file.relativePath, size: file.size, sha256: file.sha256, objectKey: nil,
                        storedSize: nil))
            } else {
                let object = pieces.first?.chunk
                files.append(
                    ManifestFile(
                        index: index, path: file.relativePath, size: file.size, sha256: file.sha256,
                        objectKey: object?.objectKey, storedSize: object?.storedSize))
            }
        }
        return ReleaseManifest(
            release: info, encrypted: profile.encrypted, chunkSize: profile.chunked ? profile.chunkSize : nil,
            files: files, chunks: chunks, mapping: mapping, created: release.createdAt)
    }
}
