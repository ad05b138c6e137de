import Crypto

/// Passes a source file's bytes through while hashing and counting them; throws
/// `fileSizeChanged` as soon as the count cannot match the announced size, so that a put fed
/// by it fails and no torn copy is stored.
final class HashingReader: ByteReader {
    private let source: any ByteReader
    private let path: String
    private let expected: Int64?
    private var hasher = SHA256()
    private(set) var count: Int64 = 0

    init(_ source: any ByteReader, path: String, expected: Int64?) {
        self.source = source
        self.path = path
        self.expected = expected
    }

    /// SHA-256 of everything read, lowercase hex. Call once, at the end.
    func finalHex() -> String { Array(hasher.finalize()).hex }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        let piece = try await source.read(upTo: maxCount)
        count += Int64(piece.count)
        if let expected, piece.isEmpty ? count != expected : count > expected {
            throw StorageError.fileSizeChanged(path: path, expected: expected, actual: count)
        }
        hasher.update(data: piece)
        return piece
    }
}
