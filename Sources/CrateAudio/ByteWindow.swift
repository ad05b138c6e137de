/// A bounded window onto a pulled byte stream: the checkers look ahead in it and consume from
/// its front, and it never holds more than `capacity` bytes however long the stream is.
///
/// Bytes are kept in one allocation; when the room behind the window runs short, what is still
/// unconsumed moves to the front (once per `capacity − minimum` bytes consumed, so the copying
/// costs about one byte moved per byte read).
final class ByteWindow {
    /// The most bytes the window holds.
    let capacity: Int
    /// True once `read` has returned `[]`.
    private(set) var sourceEnded = false
    /// The offset in the stream of the first byte in the window.
    private(set) var offset = 0

    private let read: AudioCheck.Read
    private let storage: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0

    init(capacity: Int, read: @escaping AudioCheck.Read) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.read = read
        storage = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// How many bytes the window holds.
    var count: Int { end - start }

    /// True when the window is empty and the stream has ended.
    var isAtEnd: Bool { sourceEnded && start == end }

    /// The byte `index` places past the window's front; `index` must be below `count`.
    subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count)
        return storage[start + index]
    }

    /// True when the window starts with `bytes` at `index` (false when it holds too few).
    func matches(_ bytes: [UInt8], at index: Int = 0) -> Bool {
        guard index >= 0, index + bytes.count <= count else { return false }
        for (i, byte) in bytes.enumerated() where storage[start + index + i] != byte { return false }
        return true
    }

    /// A copy of `length` bytes from `index` (fewer when the window ends sooner).
    func bytes(at index: Int, length: Int) -> [UInt8] {
        let from = start + min(max(index, 0), count)
        let to = min(from + max(length, 0), end)
        return Array(storage[from..<to])
    }

    /// The window's bytes, for a pure function to read without copying.
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(rebasing: storage[start..<end]))
    }

    /// Once the window holds fewer than `minimum` bytes (at most `capacity`), pulls until it is
    /// full or the stream ends. Returns true when it holds at least `minimum`.
    @discardableResult
    func fill(atLeast minimum: Int) async throws -> Bool {
        precondition(minimum <= capacity, "the window cannot hold \(minimum) bytes")
        // Nothing more to pull once the stream has ended, so nothing to make room for: moving
        // the rest to the front at every call would copy the file's tail once per frame.
        if count >= minimum || sourceEnded { return count >= minimum }
        if start > 0 {
            let held = count
            if held > 0 { storage.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: held) }
            start = 0
            end = held
        }
        while !sourceEnded && end < capacity {
            try Task.checkCancellation()
            let piece = try await read(capacity - end)
            if piece.isEmpty {
                sourceEnded = true
                break
            }
            precondition(piece.count <= capacity - end, "read(upTo:) returned more bytes than asked for")
            piece.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: storage[end...]).copyMemory(from: $0) }
            end += piece.count
        }
        return count >= minimum
    }

    /// Drops `length` bytes (at most `count`) from the front.
    func consume(_ length: Int) {
        precondition(length >= 0 && length <= count)
        start += length
        offset += length
    }

    /// Copies up to `maxCount` bytes from the front to `destination` and consumes them; returns
    /// how many.
    func take(into destination: UnsafeMutableRawPointer, maxCount: Int) -> Int {
        let length = min(maxCount, count)
        if length > 0 { destination.copyMemory(from: storage.baseAddress! + start, byteCount: length) }
        consume(length)
        return length
    }

    /// Skips `length` bytes, pulling more as needed. Returns false when the stream ends first.
    func skip(_ length: Int) async throws -> Bool {
        var left = length
        while left > 0 {
            if count == 0 {
                try await fill(atLeast: 1)
                if count == 0 { return false }
            }
            let step = min(left, count)
            consume(step)
            left -= step
        }
        return true
    }
}
