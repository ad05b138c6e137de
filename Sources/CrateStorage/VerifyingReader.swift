import Crypto

/// Passes a stored file's bytes through and, at the end, checks their SHA-256 against the one
/// recorded in the manifest (the end-to-end check that also covers plain profiles).
final class VerifyingReader: ByteReader {
    private let inner: any ByteReader
    private let file: ManifestFile
    private let releaseID: String
    private var hasher = SHA256()
    private var done = false

    init(_ inner: any ByteReader, file: ManifestFile, releaseID: String) {
        self.inner = inner
        self.file = file
        self.releaseID = releaseID
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        guard !done else { return [] }
        let piece = try await inner.read(upTo: maxCount)
        if piece.isEmpty {
            done = true
            guard Array(hasher.finalize()).hex == file.sha256 else {
                throw StorageError.fileMismatch(release: releaseID, path: file.path)
            }
        } else {
            hasher.update(data: piece)
        }
        return piece
    }
}
