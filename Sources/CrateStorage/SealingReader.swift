import Crypto

/// A `ByteReader` that seals the plaintext it pulls from `source` as it is read: the header
/// first, then the sealed segments, as many per read as fit in the piece asked for (at least
/// one). Holds about one piece of plaintext and one of output.
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
            try await sealSegments(fitting: maxCount)
        }
        let end = min(output.count, outputPosition + maxCount)
        defer { outputPosition = end }
        if outputPosition == 0 && end == output.count { return output }
        return Array(output[outputPosition..<end])
    }

    private func sealSegments(fitting maxCount: Int) async throws {
        let segment = Int(SealedFormat.segmentSize)
        let sealedSize = Int(SealedFormat.sealedSegmentSize)
        let wanted = max(1, min(maxCount, SealedFormat.maxBatchBytes) / sealedSize)
        var batch: [UInt8] = []
        batch.reserveCapacity(wanted * sealedSize)
        repeat {
            // One byte past a full segment tells whether this segment is the last.
            try await pending.fill(from: source, segment: segment, ahead: wanted * segment + 1)
            let last = pending.count <= segment
            cipher.seal(pending.take(min(segment, pending.count)), counter: counter, last: last, appendingTo: &batch)
            counter += 1
            sealedLast = last
        } while !sealedLast && batch.count + sealedSize <= min(maxCount, SealedFormat.maxBatchBytes)
        output = batch
        outputPosition = 0
    }
}

/// Seals a chunk held in memory: segments are sealed straight from the chunk's buffer, as many
/// as fit in the piece asked for, so a store writing 1 MiB pieces gets each piece as one array
/// with no copy in between.
final class ChunkSealingReader: ByteReader {
    private let chunk: ChunkBuffer
    private let generation: Int
    private let cipher: SegmentCipher
    private let segmentCount: Int64
    private var nextSegment: Int64 = 0
    private var output: [UInt8] = []
    private var outputPosition = 0

    init(chunk: ChunkBuffer, cipher: SegmentCipher) {
        self.chunk = chunk
        generation = chunk.generation
        self.cipher = cipher
        segmentCount = SealedFormat.segmentCount(plaintextSize: Int64(chunk.count))
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        if outputPosition == output.count {
            guard nextSegment < segmentCount else { return [] }
            sealSegments(fitting: maxCount)
        }
        let end = min(output.count, outputPosition + maxCount)
        defer { outputPosition = end }
        if outputPosition == 0 && end == output.count { return output }
        return Array(output[outputPosition..<end])
    }

    /// Seals the next segments, as many as fit in `maxCount` bytes (at least one), the header
    /// before the first.
    private func sealSegments(fitting maxCount: Int) {
        chunk.checkUnchanged(since: generation)
        let segmentSize = Int(SealedFormat.segmentSize)
        let sealedSize = Int(SealedFormat.sealedSegmentSize)
        var batch = nextSegment == 0 ? cipher.header.bytes : []
        let room = min(maxCount, SealedFormat.maxBatchBytes) - batch.count
        let count = max(1, min(Int(segmentCount - nextSegment), room / sealedSize))
        batch.reserveCapacity(batch.count + count * sealedSize)
        let bytes = chunk.bytes
        for _ in 0..<count {
            let start = Int(nextSegment) * segmentSize
            let end = min(start + segmentSize, bytes.count)
            cipher.seal(
                UnsafeRawBufferPointer(rebasing: bytes[start..<end]), counter: nextSegment,
                last: nextSegment == segmentCount - 1, appendingTo: &batch)
            nextSegment += 1
        }
        output = batch
        outputPosition = 0
    }
}
