import Foundation
import Synchronization

/// A fixed-capacity byte buffer that readers fill in place (`ByteReader.read(into:upTo:)`):
/// the chunk a `ReleaseWriter` is building. A source file is read straight into it, its bytes
/// are hashed, named and sealed where they lie, and the buffer goes back to its pool for the
/// next chunk once the chunk is stored, so importing a release neither copies each byte
/// between intermediate arrays nor touches fresh memory for every chunk.
///
/// Used by one task at a time: the writer fills it, then hands it to the task that stores the
/// chunk, which recycles it. That hand-over is what makes it `@unchecked Sendable`.
public final class ChunkBuffer: @unchecked Sendable {
    public let capacity: Int
    /// Bytes filled, from the start.
    public private(set) var count = 0
    /// Bumped each time the buffer is emptied for reuse: readers over its bytes check it, so
    /// reading a chunk after its buffer went back to the pool traps instead of reading the next
    /// chunk's bytes.
    public private(set) var generation = 0
    private let storage: UnsafeMutableRawPointer

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }

    deinit { storage.deallocate() }

    /// Free bytes left at the end.
    public var room: Int { capacity - count }

    /// The filled bytes. Valid until the buffer changes.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    /// Fills the free room with at most `maxCount` bytes by calling `fill` with a pointer to it;
    /// `fill` returns how many bytes it wrote. Returns that count.
    public func append(upTo maxCount: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows -> Int {
        let free = UnsafeMutableRawBufferPointer(start: storage + count, count: min(maxCount, room))
        let written = try fill(free)
        precondition(written >= 0 && written <= free.count, "filled more than the room given")
        count += written
        return written
    }

    /// Appends `piece`, which must fit.
    public func append(_ piece: [UInt8]) {
        _ = append(upTo: piece.count) { free in
            precondition(free.count == piece.count, "piece larger than the room left")
            piece.withUnsafeBytes { free.copyMemory(from: $0) }
            return piece.count
        }
    }

    /// Empties the buffer, keeping its memory.
    public func removeAll() {
        count = 0
        generation += 1
    }

    /// Traps unless the buffer still holds what it held at `generation`.
    func checkUnchanged(since generation: Int) {
        precondition(self.generation == generation, "a chunk buffer was read after it was recycled")
    }
}

/// Chunk buffers of one size, reused: at most as many exist as chunks are in flight at once.
final class ChunkBufferPool: Sendable {
    let capacity: Int
    private let free = Mutex<[ChunkBuffer]>([])

    init(capacity: Int) { self.capacity = capacity }

    /// An empty buffer: a recycled one when there is one.
    func take() -> ChunkBuffer {
        free.withLock { $0.popLast() } ?? ChunkBuffer(capacity: capacity)
    }

    /// Gives a buffer back once nothing uses it any more.
    func recycle(_ buffer: ChunkBuffer) {
        buffer.removeAll()
        free.withLock { $0.append(buffer) }
    }
}

/// A `ByteReader` over a chunk buffer's bytes (copying them out piece by piece).
final class ChunkBufferReader: ByteReader {
    private let buffer: ChunkBuffer
    private let generation: Int
    private var position = 0

    init(_ buffer: ChunkBuffer) {
        self.buffer = buffer
        generation = buffer.generation
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        buffer.checkUnchanged(since: generation)
        let end = min(buffer.count, position + maxCount)
        defer { position = end }
        return Array(UnsafeRawBufferPointer(rebasing: buffer.bytes[position..<end]))
    }
}
