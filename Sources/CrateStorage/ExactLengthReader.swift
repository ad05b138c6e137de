/// Passes bytes through and throws `truncated` when the stream ends before `expected` bytes
/// (or `integrity` when it goes on past them).
final class ExactLengthReader: ByteReader {
    private let inner: any ByteReader
    private let key: String
    private var remaining: Int64

    init(_ inner: any ByteReader, key: String, expected: Int64) {
        self.inner = inner
        self.key = key
        remaining = expected
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        if remaining == 0 {
            guard try await inner.read(upTo: 1).isEmpty else {
                throw StorageError.integrity(key: key, reason: "it is longer than recorded")
            }
            return []
        }
        let piece = try await inner.read(upTo: Int(min(Int64(maxCount), remaining)))
        guard !piece.isEmpty else {
            throw StorageError.truncated(key: key, reason: "it ends \(remaining) bytes early")
        }
        remaining -= Int64(piece.count)
        return piece
    }
}
