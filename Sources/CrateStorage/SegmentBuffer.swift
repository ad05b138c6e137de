/// The bytes a segment reader (`SealingReader`, `OpeningReader`) has pulled from its source but
/// not used yet. It is filled until it holds more than one segment, or the source ends, so the
/// reader can tell whether the segment it takes is the last. Used bytes are dropped only when
/// more are appended, so taking a segment does not move the rest of the buffer.
struct SegmentBuffer {
    private var bytes: [UInt8] = []
    private var start = 0
    private(set) var sourceEnded = false

    /// Bytes held and not yet taken.
    var count: Int { bytes.count - start }

    /// Reads from `source` until more than `segment` bytes are held or the source has ended,
    /// asking for enough to hold `ahead` bytes (at least 2 × `segment` + 1) in each read, so
    /// that a reader working through several segments at once fetches them together.
    mutating func fill(from source: any ByteReader, segment: Int, ahead: Int = 0) async throws {
        let target = max(ahead, 2 * segment + 1)
        while !sourceEnded && count <= segment {
            let piece = try await source.read(upTo: target - count)
            if piece.isEmpty {
                sourceEnded = true
            } else {
                bytes.removeFirst(start)
                start = 0
                bytes.append(contentsOf: piece)
            }
        }
    }

    /// The next `length` bytes (at most `count`), which are then taken.
    mutating func take(_ length: Int) -> ArraySlice<UInt8> {
        defer { start += length }
        return bytes[start..<start + length]
    }
}
