import Crypto

/// A `ByteReader` that seals the plaintext it pulls from `source` as it is read: the header
/// first, then one sealed segment at a time. Holds at most two segments in memory.
final class SealingReader: ByteReader {
    private let source: any ByteReader
    private let cipher: SegmentCipher
    private var pending: [UInt8] = []
    /// Where the unsealed bytes of `pending` start: consumed bytes are dropped only when more
    /// are appended, so sealing a segment does not move the rest of the buffer each time.
    private var pendingStart = 0
    private var sourceEnded = false
    private var output: [UInt8]
    private var outputPosition = 0
    private var counter: Int64 = 0
    private var sealedLast = false

    init(source: any ByteReader, cipher: SegmentCipher) {
        self.source = source
        self.cipher = cipher
        output = cipher.header.bytes
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        if outputPosition == output.count {
            guard !sealedLast else { return [] }
            try await sealNextSegment()
        }
        let end = min(output.count, outputPosition + maxCount)
        defer { outputPosition = end }
        if outputPosition == 0 && end == output.count { return output }
        return Array(output[outputPosition..<end])
    }

    private func sealNextSegment() async throws {
        let segment = Int(SealedFormat.segmentSize)
        // One byte past a full segment tells whether this segment is the last.
        while !sourceEnded && pending.count - pendingStart <= segment {
            let piece = try await source.read(upTo: segment + 1 - (pending.count - pendingStart) + segment)
            if piece.isEmpty {
                sourceEnded = true
            } else {
                pending.removeFirst(pendingStart)
                pendingStart = 0
                pending.append(contentsOf: piece)
            }
        }
        let available = pending.count - pendingStart
        let last = available <= segment
        let take = min(segment, available)
        output = cipher.seal(pending[pendingStart..<pendingStart + take], counter: counter, last: last)
        pendingStart += take
        outputPosition = 0
        counter += 1
        sealedLast = last
    }
}
