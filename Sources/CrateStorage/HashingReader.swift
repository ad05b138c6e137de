import Crypto

/// Passes a source file's bytes through while hashing and counting them; throws
/// `fileSizeChanged` as soon as the count cannot match the announced size, so that a put fed
/// by it fails and no torn copy is stored.
///
/// `onEnd`, if given, hears the byte count and SHA-256 (hex) once, as soon as the source has
/// been read to its end: a whole-file put hands them to the writer before it has finished.
final class HashingReader: ByteReader {
    private let source: any ByteReader
    private let path: String
    private let expected: Int64?
    private var hasher = SHA256()
    private(set) var count: Int64 = 0
    private var onEnd: ((Int64, String) -> Void)?

    init(_ source: any ByteReader, path: String, expected: Int64?, onEnd: ((Int64, String) -> Void)? = nil) {
        self.source = source
        self.path = path
        self.expected = expected
        self.onEnd = onEnd
    }

    /// SHA-256 of everything read, lowercase hex. Call once, at the end.
    func finalHex() -> String { Array(hasher.finalize()).hex }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        let piece = try await source.read(upTo: maxCount)
        try piece.withUnsafeBytes { try consumed($0) }
        return piece
    }

    func read(into buffer: ChunkBuffer, upTo maxCount: Int) async throws -> Int {
        let read = try await source.read(into: buffer, upTo: maxCount)
        try consumed(UnsafeRawBufferPointer(rebasing: buffer.bytes[(buffer.count - read)...]))
        return read
    }

    /// Counts and hashes bytes just read (none at the end of the source).
    private func consumed(_ piece: UnsafeRawBufferPointer) throws {
        count += Int64(piece.count)
        if let expected, piece.isEmpty ? count != expected : count > expected {
            throw StorageError.fileSizeChanged(path: path, expected: expected, actual: count)
        }
        hasher.update(bufferPointer: piece)
        if piece.isEmpty, let onEnd {
            self.onEnd = nil
            onEnd(count, finalHex())
        }
    }
}
