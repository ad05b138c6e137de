import CrateAppModel
import CrateCatalog
import CrateImporter
import CrateStorage
import CrateTestSupport
import Foundation
import Synchronization
import Testing

/// The progress of an import tells what the store has acknowledged: checked against a store
/// that holds every put until the test lets it go.
@Suite struct ImportProgressTests {
    @Test func progressCountsOnlyWhatTheStoreAcceptedAndTransferLastsUntilTheLastPut() async throws {
        var harness = try ImportHarness()
        let gate = PutGate()
        harness.opener.wrapStore = { GatedStore(base: $0, gate: gate) }
        try await harness.addProfile("held", chunked: true, chunkSize: 256 << 10, makeDefault: true)
        let album = harness.scratch.path + "/Held - Album (2021)"
        try FileManager.default.createDirectory(atPath: album, withIntermediateDirectories: true)
        for track in 1...3 {
            try Data(pseudoRandomBytes(1200 << 10, seed: UInt64(track)))
                .write(to: URL(fileURLWithPath: album + "/0\(track) Track.wav"))
        }
        let job = try harness.importer.prepare(source: album, profileName: "held")
        let objects = (3 * (1200 << 10) + (256 << 10) - 1) / (256 << 10)  // 15 chunks
        gate.holding = true
        let log = ProgressLog()
        let run = Task {
            await harness.importer.run(jobId: job.id) { event in
                log.append(event, accepted: gate.acceptedBytes, outstanding: gate.outstanding.count)
            }
        }
        // Every chunk of this small release fits the writer's window: all are held at once.
        try await waitUntil { gate.outstanding.count == objects }
        // The next tick reports them all in flight, and nothing stored.
        let since = log.count
        try await waitUntil {
            log.progresses(after: since).contains { $0.inFlight.count == objects }
        }
        #expect(log.lastProgress?.bytesDone == 0)
        #expect(log.lastProgress?.filesInFlight == ["01 Track.wav", "02 Track.wav", "03 Track.wav"])
        // Let them go one by one, newest first (acknowledgements come out of order); halfway,
        // the progress counts exactly the puts still held as in flight.
        while let key = gate.outstanding.last {
            gate.release(key)
            try await waitUntil { gate.acceptedKeys.contains(key) }
            if gate.outstanding.count == objects / 2 {
                let since = log.count
                try await waitUntil {
                    log.progresses(after: since).contains { $0.inFlight.count == objects / 2 }
                }
                #expect(log.lastProgress?.bytesDone == gate.acceptedBytes)
            }
        }
        gate.holding = false
        let outcome = await run.value
        #expect(outcome.releaseId != nil, "\(outcome)")

        let entries = log.entries
        for entry in entries {
            if case .progress(_, let progress) = entry.event, progress.objectsDone < objects + 1 {
                // Never more than the store has taken (plain profile: stored = plaintext bytes).
                #expect(progress.bytesDone <= entry.accepted)
            }
        }
        // The commit stage begins only once every put has returned.
        let commit = try #require(entries.first { if case .stage(_, .commit) = $0.event { true } else { false } })
        #expect(commit.outstanding == 0)
        #expect(commit.accepted == Int64(3 * (1200 << 10)))
        let confirmed = entries.compactMap { entry -> Int? in
            if case .transfer(_, let cell, .confirmed) = entry.event { cell } else { nil }
        }
        #expect(confirmed.count == objects)
        #expect(confirmed != confirmed.sorted(), "acknowledgements came in the order the puts were let go")
        // The queue's chunk map, fed the same events, ends with every chunk stored.
        var queued = ImportJob(id: job.id, source: album, profileName: "held")
        for entry in entries { queued.handle(entry.event) }
        #expect(queued.chunks == Array(repeating: .stored, count: objects))
    }

    /// A retried request names the object it belongs to, and the queue marks that cell ↻.
    @Test func aRetriedPutMarksItsOwnCell() async throws {
        let (harness, proxy) = try await ImportThroughFaultsTests.profileBehindProxy(
            "retrying", encrypted: false, chunked: true)
        let injected = Flag()
        let log = ProgressLog()
        let (outcome, _) = try await harness.importFolder(Fixtures.album, profile: "retrying") { event in
            log.append(event, accepted: 0, outstanding: 0)
            // Once chunks are on their way, the next request fails: a chunk's HEAD or PUT.
            if case .transfer(_, _, .started) = event, await injected.setOnce() {
                try? await proxy.inject(["503"])
            }
        }
        #expect(outcome.releaseId != nil, "\(outcome)")
        var job = ImportJob(id: "j", source: Fixtures.album, profileName: "retrying")
        var sawRetryingCell = false
        for entry in log.entries {
            if case .retry(_, let note, _) = entry.event, let cell = note.cell {
                // The request that failed belongs to a chunk not stored yet: its HEAD or PUT.
                #expect(job.chunks.indices.contains(cell) && job.chunks[cell] != .stored)
                #expect(note.maxAttempts == 6)
                sawRetryingCell = true
            }
            job.handle(entry.event)
            if case .retry(_, let note, _) = entry.event, let cell = note.cell {
                #expect(job.chunks[cell] == .retrying)
                #expect(job.chunks.filter { $0 == .retrying }.count == 1, "only that cell")
            }
        }
        #expect(sawRetryingCell, "no retry named its chunk")
        #expect(job.chunks.allSatisfy { $0 == .stored })
    }
}

/// Puts wait while `holding` until `release(key)`; counts what the base store accepted.
final class PutGate: Sendable {
    private struct Held {
        var holding = false
        var outstanding: [String] = []
        var released: Set<String> = []
        var acceptedKeys: Set<String> = []
        var acceptedBytes: Int64 = 0
    }
    private let state = Mutex(Held())

    var holding: Bool {
        get { state.withLock { $0.holding } }
        set { state.withLock { $0.holding = newValue } }
    }
    var outstanding: [String] { state.withLock { $0.outstanding } }
    var acceptedKeys: Set<String> { state.withLock { $0.acceptedKeys } }
    var acceptedBytes: Int64 { state.withLock { $0.acceptedBytes } }

    func release(_ key: String) { state.withLock { _ = $0.released.insert(key) } }

    fileprivate func arrive(_ key: String) -> Bool {
        state.withLock { held in
            guard held.holding else { return false }
            held.outstanding.append(key)
            return true
        }
    }

    fileprivate func mayGo(_ key: String) -> Bool { state.withLock { !$0.holding || $0.released.contains(key) } }

    fileprivate func accepted(_ key: String, bytes: Int) {
        state.withLock {
            $0.outstanding.removeAll { $0 == key }
            $0.acceptedKeys.insert(key)
            $0.acceptedBytes += Int64(bytes)
        }
    }
}

/// A store whose release puts (chunks and files, not manifests or locks) wait at a `PutGate`;
/// the body is taken first, as a real store takes it while sending.
struct GatedStore: StoreWrapper {
    let base: any ObjectStore
    let gate: PutGate

    func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        let gated = !key.hasPrefix("manifests/") && !key.hasPrefix("locks/") && gate.arrive(key)
        let bytes = try await body.readAll()
        if gated {
            while !gate.mayGo(key) { try await Task.sleep(for: .milliseconds(5)) }
        }
        try await base.put(key, body: BytesReader(bytes), size: size)
        if gated { gate.accepted(key, bytes: bytes.count) }
    }
}

/// Events in arrival order, each with what the store had accepted when it came.
final class ProgressLog: Sendable {
    struct Entry: Sendable {
        var event: ImportEvent
        var accepted: Int64
        var outstanding: Int
    }
    private let log = Mutex<[Entry]>([])

    func append(_ event: ImportEvent, accepted: Int64, outstanding: Int) {
        log.withLock { $0.append(Entry(event: event, accepted: accepted, outstanding: outstanding)) }
    }

    var entries: [Entry] { log.withLock { $0 } }
    var count: Int { log.withLock { $0.count } }

    func progresses(after index: Int) -> [ImportProgress] {
        log.withLock { $0.dropFirst(index).compactMap { if case .progress(_, let p) = $0.event { p } else { nil } } }
    }

    var lastProgress: ImportProgress? { progresses(after: 0).last }
}

/// Polls `condition` every 10 ms until it holds, failing after `polls` tries. Counting tries,
/// not seconds: when the whole suite keeps both cores busy, this task gets its turns no less
/// often than the work it waits for.
func waitUntil(polls: Int = 12_000, _ condition: () -> Bool) async throws {
    for _ in 0..<polls {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw TimeoutError()
}

struct TimeoutError: Error {}
