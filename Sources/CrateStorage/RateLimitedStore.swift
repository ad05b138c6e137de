import Synchronization

/// Paces what a process stores: every put through stores sharing one `UploadPace` together
/// sends at most `bytesPerSecond` on average (`CRATE_BWLIMIT`, like rclone's `--bwlimit`), so
/// an import over a home connection leaves room for everything else.
public final class UploadPace: Sendable {
    public let bytesPerSecond: Int
    /// When the next byte may leave.
    private let next: Mutex<ContinuousClock.Instant?> = Mutex(nil)

    public init(bytesPerSecond: Int) {
        precondition(bytesPerSecond > 0, "a pace needs a positive rate")
        self.bytesPerSecond = bytesPerSecond
    }

    /// Books `count` bytes at `now` and returns when they may leave: at once when the line has
    /// been idle, else when the bytes booked before them have had their time.
    public func book(_ count: Int, now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        next.withLock { next in
            let start = max(next ?? now, now)
            next = start + .nanoseconds(Int64(Double(count) / Double(bytesPerSecond) * 1e9))
            return start
        }
    }

    /// Waits until `count` more bytes may leave.
    func admit(_ count: Int) async throws {
        let clock = ContinuousClock()
        let start = book(count, now: clock.now)
        if start > clock.now { try await Task.sleep(until: start, clock: clock) }
    }
}

/// An `ObjectStore` whose puts pull their bodies at the pace of an `UploadPace`; gets, heads,
/// lists and deletes pass straight through.
///
/// A put of known size books its whole body when it takes its first bytes, so the puts in
/// flight share the line one after the other, each at the full pace: the first finishes after
/// its own size's worth of time, not after everyone's (booking piece by piece let 64 puts of a
/// chunk window crawl along together and land at once, a minute later).
public struct RateLimitedStore: StoreWrapper {
    public let base: any ObjectStore
    public let pace: UploadPace

    public init(wrapping base: any ObjectStore, pace: UploadPace) {
        self.base = base
        self.pace = pace
    }

    public func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        try await base.put(key, body: PacedReader(body, pace: pace, size: size), size: size)
    }
}

/// Hands out its inner reader's bytes in pieces of at most 64 KiB, each when the pace allows.
private final class PacedReader: ByteReader {
    private let inner: any ByteReader
    private let pace: UploadPace
    private let size: Int64?
    /// With a known size: when the body's slot on the line began, and the bytes handed out.
    private var start: ContinuousClock.Instant?
    private var handed: Int64 = 0

    init(_ inner: any ByteReader, pace: UploadPace, size: Int64?) {
        self.inner = inner
        self.pace = pace
        self.size = size
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        let piece = try await inner.read(upTo: min(maxCount, 64 << 10))
        guard !piece.isEmpty else { return piece }
        guard let size, handed + Int64(piece.count) <= size else {
            // Unknown size (or more than announced): book piece by piece.
            try await pace.admit(piece.count)
            return piece
        }
        let clock = ContinuousClock()
        if start == nil { start = pace.book(Int(size), now: clock.now) }
        handed += Int64(piece.count)
        // This piece leaves once the bytes before it and itself have had their time.
        let due = start! + .nanoseconds(Int64(Double(handed) / Double(pace.bytesPerSecond) * 1e9))
        if due > clock.now { try await Task.sleep(until: due, clock: clock) }
        return piece
    }
}
