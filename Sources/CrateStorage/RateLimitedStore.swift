import CrateS3
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

    /// Takes back the time booked for `count` bytes that will not be sent (a put that failed
    /// or was paused), so the next booking does not wait for them.
    public func giveBack(_ count: Int, now: ContinuousClock.Instant) {
        next.withLock { next in
            guard let booked = next else { return }
            next = max(now, booked - .nanoseconds(Int64(Double(count) / Double(bytesPerSecond) * 1e9)))
        }
    }

    /// Waits until `count` more bytes may leave.
    func admit(_ count: Int) async throws {
        let clock = ContinuousClock()
        let start = book(count, now: clock.now)
        if start > clock.now { try await Task.sleep(until: start, clock: clock) }
    }
}

/// An `ObjectStore` whose puts go at the pace of an `UploadPace`; gets, heads, lists and
/// deletes pass straight through.
///
/// A put of known size books its whole body on the pace, so the puts in flight share the line
/// one after the other, each at the full pace: the first finishes after its own size's worth
/// of time, not after everyone's (booking piece by piece let 64 puts of a chunk window crawl
/// along together and land at once, a minute later). Over S3 the pace applies to the wire: the
/// put waits for its turn before it connects, then each slice of the request body leaves when
/// its time has come (`S3Upload.beforePiece`), so nothing is sent faster than the limit even
/// though the store reads a part into memory at once. A local store writes what it reads, so
/// there the body is read at the pace. Lock files are not paced.
public struct RateLimitedStore: StoreWrapper {
    public let base: any ObjectStore
    public let pace: UploadPace

    public init(wrapping base: any ObjectStore, pace: UploadPace) {
        self.base = base
        self.pace = pace
    }

    public func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        // Lock files are a few hundred bytes of control traffic: queued behind a minute of
        // booked data, a refresh would come too late to keep the lock.
        if key.hasPrefix(StoreLocks.prefix) { return try await base.put(key, body: body, size: size) }
        let schedule = Schedule(pace, size)
        do {
            guard base is S3Store else {
                return try await base.put(key, body: PacedReader(body, schedule: schedule), size: size)
            }
            try await schedule.waitForTurn()
            let gate = S3Upload.Gate { try await schedule.admit($0) }
            try await S3Upload.$beforePiece.withValue(gate) {
                try await base.put(key, body: body, size: size)
            }
        } catch {
            // A put that failed or was cancelled (a pause) frees the line it had booked.
            schedule.giveBack()
            throw error
        }
    }
}

/// One put's place on the line: with a known size, one booking for the whole body, each
/// piece leaving when the bytes before it have had their time. Without a size each piece is
/// booked as it comes. Bytes beyond the size — a retried request sending its body again, the
/// XML that completes a multipart upload — go at once: waiting behind every later booking
/// would starve the request.
private final class Schedule: Sendable {
    private let pace: UploadPace
    private let size: Int64?
    private let state = Mutex<(start: ContinuousClock.Instant?, handed: Int64)>((nil, 0))

    init(_ pace: UploadPace, _ size: Int64?) {
        self.pace = pace
        self.size = size
    }

    /// Books the whole body (when its size is known) and waits for its slot.
    func waitForTurn() async throws {
        guard let size else { return }
        let clock = ContinuousClock()
        let start = state.withLock { state in
            if state.start == nil { state.start = pace.book(Int(size), now: clock.now) }
            return state.start!
        }
        if start > clock.now { try await Task.sleep(until: start, clock: clock) }
    }

    /// Waits until the next `count` bytes may leave.
    func admit(_ count: Int) async throws {
        guard size != nil else { return try await pace.admit(count) }
        try await waitForTurn()
        let due: ContinuousClock.Instant? = state.withLock { state in
            guard let size, let start = state.start, state.handed + Int64(count) <= size else { return nil }
            state.handed += Int64(count)
            return start + .nanoseconds(Int64(Double(state.handed) / Double(pace.bytesPerSecond) * 1e9))
        }
        guard let due else { return }
        let clock = ContinuousClock()
        if due > clock.now { try await Task.sleep(until: due, clock: clock) }
    }

    /// Returns the time booked for bytes that will not be sent.
    func giveBack() {
        let unsent = state.withLock { state -> Int64 in
            guard let size, state.start != nil else { return 0 }
            defer { state.handed = size }
            return size - state.handed
        }
        if unsent > 0 { pace.giveBack(Int(unsent), now: ContinuousClock.now) }
    }
}

/// Hands out its inner reader's bytes in pieces of at most 64 KiB, each when the schedule
/// allows.
private final class PacedReader: ByteReader {
    private let inner: any ByteReader
    private let schedule: Schedule

    init(_ inner: any ByteReader, schedule: Schedule) {
        self.inner = inner
        self.schedule = schedule
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        let piece = try await inner.read(upTo: min(maxCount, 64 << 10))
        if !piece.isEmpty { try await schedule.admit(piece.count) }
        return piece
    }
}
