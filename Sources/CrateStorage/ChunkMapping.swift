/// One piece of a file inside one chunk: a row of the file-chunk mapping (docs/storage-format.md).
public struct FileChunkPiece: Codable, Hashable, Sendable {
    /// The file's position in the release's sorted file list.
    public var fileIndex: Int
    /// The content-derived id of the chunk holding the piece.
    public var chunkID: String
    /// Order of this piece within the file (0, 1, 2, ...).
    public var chunkIndex: Int
    /// Where the file's bytes start inside the chunk.
    public var byteOffset: Int64
    /// How many of the file's bytes the chunk holds.
    public var byteLength: Int64

    public init(fileIndex: Int, chunkID: String, chunkIndex: Int, byteOffset: Int64, byteLength: Int64) {
        self.fileIndex = fileIndex
        self.chunkID = chunkID
        self.chunkIndex = chunkIndex
        self.byteOffset = byteOffset
        self.byteLength = byteLength
    }
}

/// One stored chunk of a release stream.
public struct ChunkRecord: Codable, Hashable, Sendable {
    /// Content-derived id: HMAC-SHA256 (sealed) or SHA-256 (plain) of the chunk's plaintext, hex.
    public var id: String
    /// Position of the chunk in the release stream (0, 1, 2, ...).
    public var ordinal: Int
    public var objectKey: String
    public var storedSize: Int64
    public var plaintextSize: Int64

    public init(id: String, ordinal: Int, objectKey: String, storedSize: Int64, plaintextSize: Int64) {
        self.id = id
        self.ordinal = ordinal
        self.objectKey = objectKey
        self.storedSize = storedSize
        self.plaintextSize = plaintextSize
    }
}

/// All offset arithmetic of the chunked layout, as pure functions: where a file's bytes fall
/// when the release stream is cut into chunks (write side), and which chunk bytes hold a
/// range of a file (read side). Nothing else computes chunk offsets.
public struct ChunkGeometry: Hashable, Sendable {
    public let chunkSize: Int64

    public init(chunkSize: Int64) {
        precondition(chunkSize > 0)
        self.chunkSize = chunkSize
    }

    /// A file's bytes inside one chunk, with the chunk named by its ordinal in the stream.
    public struct Span: Hashable, Sendable {
        public var chunkOrdinal: Int
        public var offsetInChunk: Int64
        public var length: Int64
    }

    /// How the `length` bytes starting at `streamOffset` of the release stream fall into chunks.
    public func spans(streamOffset: Int64, length: Int64) -> [Span] {
        var result: [Span] = []
        var position = streamOffset
        let end = streamOffset + length
        while position < end {
            let offset = position % chunkSize
            let take = min(chunkSize - offset, end - position)
            result.append(Span(chunkOrdinal: Int(position / chunkSize), offsetInChunk: offset, length: take))
            position += take
        }
        return result
    }

    /// Number of chunks a release stream of this length is cut into (the last may be short).
    public func chunkCount(streamLength: Int64) -> Int {
        Int((streamLength + chunkSize - 1) / chunkSize)
    }

    /// The bytes of chunks that hold `range` of a file, given that file's mapping rows. Each
    /// result pairs a row with the range inside its chunk to read, in file order.
    public static func pieces(of rows: [FileChunkPiece], covering range: Range<Int64>) -> [(
        piece: FileChunkPiece, rangeInChunk: Range<Int64>
    )] {
        var result: [(piece: FileChunkPiece, rangeInChunk: Range<Int64>)] = []
        var fileOffset: Int64 = 0
        for row in rows.sorted(by: { $0.chunkIndex < $1.chunkIndex }) {
            let rowRange = fileOffset..<(fileOffset + row.byteLength)
            fileOffset += row.byteLength
            let overlap = rowRange.clamped(to: range)
            guard !overlap.isEmpty else { continue }
            let start = row.byteOffset + (overlap.lowerBound - rowRange.lowerBound)
            result.append((row, start..<(start + Int64(overlap.count))))
        }
        return result
    }
}
