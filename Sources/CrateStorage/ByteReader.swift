/// A pull-based stream of bytes: the one streaming currency of the storage engine.
///
/// Each `read(upTo:)` returns the next bytes, at most `maxCount` and at least one, or an empty
/// array at the end. Pulling (rather than pushing) is what gives back-pressure: a slow store
/// simply reads less often, so no layer buffers more than the piece it is working on. A reader
/// that has thrown is done: reading it again gives no defined result.
public protocol ByteReader: AnyObject {
    /// Returns the next bytes (1…`maxCount`), or `[]` once the stream is exhausted.
    func read(upTo maxCount: Int) async throws -> [UInt8]

    /// Reads the next bytes (1…`maxCount`, at most `buffer.room`) onto the end of `buffer` and
    /// returns how many, or 0 once the stream is exhausted. `maxCount` and `buffer.room` must be
    /// positive, so that 0 only ever means the end. Readers that can write in place (a
    /// source file read with `read(2)`) do so; the default copies a piece from `read(upTo:)`.
    func read(into buffer: ChunkBuffer, upTo maxCount: Int) async throws -> Int
}

extension ByteReader {
    public func read(into buffer: ChunkBuffer, upTo maxCount: Int) async throws -> Int {
        precondition(maxCount > 0 && buffer.room > 0, "read(into:) needs room to read into")
        let piece = try await read(upTo: min(maxCount, buffer.room))
        buffer.append(piece)
        return piece.count
    }

    /// Reads the rest of the stream into memory. For tests and small objects (manifests,
    /// `crate-profile.json`) only: never for release files.
    public func readAll(pieceSize: Int = 1 << 20) async throws -> [UInt8] {
        var result: [UInt8] = []
        while true {
            let piece = try await read(upTo: pieceSize)
            if piece.isEmpty { return result }
            result.append(contentsOf: piece)
        }
    }

    /// Reads until `count` bytes are gathered or the stream ends; returns fewer only at the end.
    /// Asks for at most `piece` bytes at a time, so a stream that breaks off and resumes (an S3
    /// download) keeps what it had; a stream that hands over all of it in one piece is not copied.
    public func readFully(_ count: Int, piece: Int = 1 << 20) async throws -> [UInt8] {
        var result: [UInt8] = []
        while result.count < count {
            let bytes = try await read(upTo: min(piece, count - result.count))
            if bytes.isEmpty { break }
            if result.isEmpty {
                if bytes.count == count { return bytes }
                result.reserveCapacity(count)
            }
            result.append(contentsOf: bytes)
        }
        return result
    }
}

/// A `ByteReader` over bytes already in memory.
public final class BytesReader: ByteReader {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(upTo maxCount: Int) async throws -> [UInt8] {
        let end = min(bytes.count, position + maxCount)
        defer { position = end }
        if position == 0 && end == bytes.count { return bytes }
        return Array(bytes[position..<end])
    }
}
