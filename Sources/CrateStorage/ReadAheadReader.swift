/// Reads one piece ahead of its consumer, on another task: while the consumer seals and writes
/// piece n, the source (a file being read and hashed) already produces piece n + 1, so the two
/// halves of a whole-file put run on both cores.
///
/// Holds at most two pieces. The source is only ever used by one task at a time (a read starts
/// after the previous one ended), which is what makes handing it to the prefetching task safe.
final class ReadAheadReader: ByteReader {
    private let source: ReaderBox
    private let pieceSize: Int
    private var next: Task<[UInt8], any Error>?
    private var current: [UInt8] = []
    private var position = 0
    private var ended = false

    init(_ source: any ByteReader, pieceSize: Int = 1 << 20) {
        self.source = ReaderBox(source)
        self.pieceSize = pieceSize
    }

    deinit { next?.cancel() }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        if position == current.count {
            guard !ended else { return [] }
            let task = next ?? prefetch()
            next = nil
            current = try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
            position = 0
            if current.isEmpty {
                ended = true
                return []
            }
            next = prefetch()
        }
        if position == 0 && maxCount >= current.count {
            position = current.count
            return current
        }
        let end = min(current.count, position + maxCount)
        defer { position = end }
        return Array(current[position..<end])
    }

    private func prefetch() -> Task<[UInt8], any Error> {
        let source = source
        let size = pieceSize
        return Task { try await source.reader.read(upTo: size) }
    }
}
