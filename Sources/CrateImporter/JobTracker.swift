import CrateCatalog
import CrateStorage
import Foundation
import Synchronization

/// The objects a job (an import or a copy) stored, as the catalog keeps them: what resume
/// continues from, what a cancel deletes and what `crate gc` spares. The one writer of
/// `import_job_objects` rows.
struct StoredObjectLog {
    let jobId: String
    private let catalog: Catalog
    /// Rows earlier runs of the job recorded; they stay, whatever this run reports.
    let earlier: [ImportJobObjectRecord]
    private var sequence: Int

    init(jobId: String, catalog: Catalog) throws {
        self.jobId = jobId
        self.catalog = catalog
        earlier = try catalog.storedObjects(ofJob: jobId)
        // New rows follow the earlier runs' (gaps are possible; reuse never is).
        sequence = (earlier.map(\.sequence).max() ?? -1) + 1
    }

    /// Records `object` as stored with `bytesDone` bytes of the job done; returns its sequence.
    @discardableResult
    mutating func append(_ object: StoredObject, bytesDone: Int64) throws -> Int {
        var sha256: String?
        if case .file(_, _, let hash) = object.kind { sha256 = hash }
        let row = ImportJobObjectRecord(
            jobId: jobId, sequence: sequence, objectKey: object.key, state: .stored, storedSize: object.storedSize,
            plaintextSize: object.plaintextSize, sha256: sha256)
        try catalog.recordStoredObject(row, bytesDone: bytesDone)
        sequence += 1
        return row.sequence
    }
}

/// Keeps one job's progress while it transfers: records each stored object in the catalog (what
/// resume reads), follows every put from start to the store's acknowledgement, counts retries,
/// and sends throttled progress events — also while nothing moves (`tickEverySecond`), so a
/// stalled transfer says so instead of showing its last rate.
actor JobTracker {
    let jobId: String
    private var log: StoredObjectLog
    private let emit: @Sendable (ImportEvent) async -> Void
    private(set) var progress = ImportProgress()
    private var inFlight: [Int: ObjectInFlight] = [:]
    private var lastSent = Date.distantPast
    /// Bytes the store has taken this run (skipped objects do not count), and when it last
    /// took any: the rate and the stall come from these.
    private var bytesMoved: Int64 = 0
    private var lastMoved = Date()
    private var samples: [(time: Date, bytes: Int64)] = []
    /// Set when the job's transfer is over: reports still on their way (a put's last bytes
    /// heard from a connection, a retry) are dropped, so nothing follows the job's end.
    private nonisolated let ended = EndFlag()

    /// Objects earlier runs of the job recorded (a resume), by key: counted as done from the
    /// start, so the progress goes on from where it stopped instead of dropping back, and not
    /// counted again when this run finds them (a chunk repeated within the release counts
    /// again at its second place).
    private var counted: [String: Int] = [:]

    init(
        jobId: String, catalog: Catalog, plan: ImportPlan, emit: @escaping @Sendable (ImportEvent) async -> Void
    ) throws {
        self.jobId = jobId
        self.log = try StoredObjectLog(jobId: jobId, catalog: catalog)
        self.emit = emit
        progress.bytesTotal = plan.bytes
        progress.objectsTotal = plan.objects
        // Each key once: every run re-records what it found stored, so after two resumes a
        // key has several rows for one object.
        for row in log.earlier where counted[row.objectKey] == nil {
            counted[row.objectKey] = 1
            progress.bytesDone += row.plaintextSize
            progress.bytesSkipped += row.plaintextSize
            progress.objectsDone += 1
        }
    }

    /// Counts an object stored or found stored, unless an earlier run's count has it.
    /// Returns whether it was counted now.
    @discardableResult
    private func countDone(_ object: StoredObject) -> Bool {
        if let earlier = counted[object.key], earlier > 0 {
            counted[object.key] = earlier - 1
            return false
        }
        progress.bytesDone += object.plaintextSize
        progress.objectsDone += 1
        return true
    }

    /// The transfer begins now (after the store lock was had): a stall counts from here.
    func begin() {
        lastMoved = Date()
    }

    /// No event after this one.
    nonisolated func end() { ended.set() }

    func startFile(_ path: String) {
        progress.currentFile = path
        lastMoved = Date()
    }

    /// A request was retried; `cell` names the object when the request was one of its puts.
    func retried(_ note: RetryNote, operation: String) async {
        guard !ended.isSet else { return }
        progress.retries += 1
        progress.retry = note
        if let cell = note.cell { inFlight[cell]?.failedAttempt = note.attempt }
        await emit(.retry(job: jobId, note, operation: operation))
        await sendProgress(force: true)
    }

    /// Records a storage event: puts as they start, move and end; stored and skipped objects,
    /// in order, become `import_job_objects` rows.
    func record(_ event: StorageEvent) async throws {
        guard !ended.isSet else { return }
        switch event {
        case .putStarted(let transfer):
            inFlight[transfer.cell] = ObjectInFlight(
                cell: transfer.cell, files: transfer.files, bytesTotal: transfer.storedSize)
            await emit(.transfer(job: jobId, cell: transfer.cell, .started))
            await sendProgress(force: false)
        case .putSent(let cell, let bytes):
            moved(cell: cell, to: bytes)
            await sendProgress(force: false)
        case .putConfirmed(let cell, let object):
            moved(cell: cell, to: object.storedSize)
            inFlight[cell] = nil
            countDone(object)
            await emit(.transfer(job: jobId, cell: cell, .confirmed))
            await sendProgress(force: false)
        case .putFailed(let cell, let reason):
            inFlight[cell] = nil
            await emit(.transfer(job: jobId, cell: cell, .failed(reason: reason)))
        case .objectStored(let object):
            try await recordObject(object, skipped: false)
        case .objectSkipped(let object):
            // Checking what is stored is work too: not a stall, and a retry of it is over.
            lastMoved = Date()
            if progress.retry?.cell == object.cell { progress.retry = nil }
            if countDone(object) { progress.bytesSkipped += object.plaintextSize }
            await emit(.transfer(job: jobId, cell: object.cell, .alreadyStored))
            try await recordObject(object, skipped: true)
            await sendProgress(force: false)
        case .fileWritten, .manifestStored:
            return
        }
    }

    private func recordObject(_ object: StoredObject, skipped: Bool) async throws {
        let sequence = try log.append(object, bytesDone: progress.bytesDone)
        await emit(
            .object(
                job: jobId, sequence: sequence, key: object.key, plaintextSize: object.plaintextSize, skipped: skipped))
    }

    /// The store has taken `bytes` of object `cell`: the transfer moves, and a retry of that
    /// object (or one naming none) is over.
    private func moved(cell: Int, to bytes: Int64) {
        guard var object = inFlight[cell] else { return }
        bytesMoved += max(0, bytes - object.bytesSent)
        object.bytesSent = max(object.bytesSent, bytes)
        object.failedAttempt = nil
        inFlight[cell] = object
        lastMoved = Date()
        if progress.retry?.cell == nil || progress.retry?.cell == cell { progress.retry = nil }
    }

    func manifestStored() async {
        progress.objectsDone += 1
        progress.bytesDone = progress.bytesTotal
        await sendProgress(force: true)
    }

    /// Sends the progress every second until cancelled, so the rate decays and a stall shows
    /// while no event comes.
    func tickEverySecond() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { return }
            await sendProgress(force: true)
        }
    }

    private func sendProgress(force: Bool) async {
        guard !ended.isSet else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastSent) >= 0.1 else { return }
        lastSent = now
        samples.append((now, bytesMoved))
        samples.removeAll { now.timeIntervalSince($0.time) > ImportProgress.rateWindow }
        if let oldest = samples.first, now.timeIntervalSince(oldest.time) >= 0.5 {
            progress.bytesPerSecond = Double(bytesMoved - oldest.bytes) / now.timeIntervalSince(oldest.time)
        }
        let idle = now.timeIntervalSince(lastMoved)
        progress.stalledSeconds = idle >= ImportProgress.stallThreshold ? idle : nil
        progress.inFlight = inFlight.values.sorted { $0.cell < $1.cell }
        await emit(.progress(job: jobId, progress))
    }
}

/// A flag set once, read from anywhere.
final class EndFlag: Sendable {
    private let state = Mutex(false)
    var isSet: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}
