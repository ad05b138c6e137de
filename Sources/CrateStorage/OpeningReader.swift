/// A `ByteReader` that opens sealed segments as they are read from `source` and yields their
/// plaintext, optionally skipping a prefix and stopping after a limit (for range reads).
///
/// `source` must be positioned at the start of segment `firstCounter`. When `segmentCount`
/// is known, the segment with index `segmentCount - 1` must carry the last flag; otherwise the
/// last segment is the one the stream ends after.
final class OpeningReader: ByteReader {
    private let source: any ByteReader
    private let cipher: SegmentCipher
    private var counter: Int64
    private let segmentCount: Int64?
    private var skip: Int
    private var remaining: Int64
    private var pending = SegmentBuffer()
    private var output: [UInt8] = []
    private var outputPosition = 0
    private var openedLast = false

    init(
        source: any ByteReader, cipher: SegmentCipher, firstCounter: Int64, segmentCount: Int64?,
        skip: Int = 0, limit: Int64 = .max
    ) {
        self.source = source
        self.cipher = cipher
        counter = firstCounter
        self.segmentCount = segmentCount
        self.skip = skip
        remaining = limit
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        while outputPosition == output.count {
            guard remaining > 0, !openedLast else { return [] }
            try await openSegments(fitting: maxCount)
        }
        let end = min(output.count, outputPosition + maxCount)
        defer { outputPosition = end }
        if outputPosition == 0 && end == output.count { return output }
        return Array(output[outputPosition..<end])
    }

    /// Opens the next segments into `output`: as many as fit in `maxCount` bytes of plaintext
    /// (at least one, at most `SealedFormat.maxBatchBytes`), fetched from the source together, so
    /// that a caller reading 1 MiB pieces gets each as one array.
    private func openSegments(fitting maxCount: Int) async throws {
        let segmentSize = Int(SealedFormat.segmentSize)
        let limit = min(maxCount, SealedFormat.maxBatchBytes)
        let wanted = max(1, limit / segmentSize)
        try await pending.fill(
            from: source, segment: Int(SealedFormat.sealedSegmentSize),
            ahead: wanted * Int(SealedFormat.sealedSegmentSize) + 1)
        var batch: [UInt8] = []
        batch.reserveCapacity(min(wanted * segmentSize, Int(clamping: remaining)))
        repeat {
            try await openNextSegment(appendingTo: &batch)
        } while remaining > 0 && !openedLast && batch.count + segmentSize <= limit
        output = batch
        outputPosition = 0
    }

    private func openNextSegment(appendingTo batch: inout [UInt8]) async throws {
        let sealedSize = Int(SealedFormat.sealedSegmentSize)
        try await pending.fill(from: source, segment: sealedSize)
        let name = cipher.objectName
        let available = pending.count
        let take = min(sealedSize, available)
        guard take > 0 else {
            throw StorageError.truncated(key: name, reason: "segment \(counter) is missing")
        }
        let last: Bool
        if let segmentCount {
            last = counter == segmentCount - 1
            if !last && take < sealedSize {
                throw StorageError.truncated(key: name, reason: "it ends inside segment \(counter)")
            }
        } else {
            last = available <= sealedSize
        }
        let plaintext = try cipher.openExpecting(pending.take(take), counter: counter, last: last)
        if last && pending.count > 0 {
            throw StorageError.integrity(key: name, reason: "it continues after its last segment \(counter)")
        }
        counter += 1
        openedLast = last
        let dropped = min(skip, plaintext.count)
        skip -= dropped
        let kept = min(plaintext.count - dropped, Int(clamping: remaining))
        remaining -= Int64(kept)
        batch.append(contentsOf: plaintext[(plaintext.startIndex + dropped)..<(plaintext.startIndex + dropped + kept)])
    }
}
