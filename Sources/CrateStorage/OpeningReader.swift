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
    private var pending: [UInt8] = []
    /// Where the unopened bytes of `pending` start (see `SealingReader.pendingStart`).
    private var pendingStart = 0
    private var sourceEnded = false
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
            try await openNextSegment()
        }
        let end = min(output.count, outputPosition + maxCount)
        defer { outputPosition = end }
        if outputPosition == 0 && end == output.count { return output }
        return Array(output[outputPosition..<end])
    }

    private func openNextSegment() async throws {
        let sealedSize = Int(SealedFormat.sealedSegmentSize)
        while !sourceEnded && pending.count - pendingStart <= sealedSize {
            let piece = try await source.read(upTo: 2 * sealedSize + 1 - (pending.count - pendingStart))
            if piece.isEmpty {
                sourceEnded = true
            } else {
                pending.removeFirst(pendingStart)
                pendingStart = 0
                pending.append(contentsOf: piece)
            }
        }
        let name = cipher.objectName
        let available = pending.count - pendingStart
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
        var plaintext = try cipher.openExpecting(
            pending[pendingStart..<pendingStart + take], counter: counter, last: last)
        pendingStart += take
        if last && pendingStart < pending.count {
            throw StorageError.integrity(key: name, reason: "it continues after its last segment \(counter)")
        }
        counter += 1
        openedLast = last
        if skip > 0 {
            let dropped = min(skip, plaintext.count)
            plaintext.removeFirst(dropped)
            skip -= dropped
        }
        if Int64(plaintext.count) > remaining { plaintext.removeLast(plaintext.count - Int(remaining)) }
        remaining -= Int64(plaintext.count)
        output = plaintext
        outputPosition = 0
    }
}
