import Crypto

/// A `ByteReader` that seals the plaintext it pulls from `source` as it is read: the header
/// first, then one sealed segment at a time. Holds at most two segments in memory.
final class SealingReader: ByteReader {
    private let source: any ByteReader
    private let cipher: SegmentCipher
    private var pending = SegmentBuffer()
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
        try await pending.fill(from: source, segment: segment)
        let last = pending.count <= segment
        output = cipher.seal(pending.take(min(segment, pending.count)), counter: counter, last: last)
        outputPosition = 0
        counter += 1
        sealedLast = last
    }
}
