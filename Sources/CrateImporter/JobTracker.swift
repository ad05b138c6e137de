import CrateCatalog
import CrateStorage
import Foundation

/// Keeps one job's progress while it transfers: records each stored object in the catalog (what
/// resume reads), counts bytes and retries, and sends throttled progress events.
actor JobTracker {
    let jobId: String
    private let catalog: Catalog
    private let emit: @Sendable (ImportEvent) async -> Void
    private(set) var progress = ImportProgress()
    private(set) var storedKeys: [String] = []
    private var sequence = 0
    private let started = Date()
    private var lastSent = Date.distantPast

    init(jobId: String, catalog: Catalog, plan: ImportPlan, emit: @escaping @Sendable (ImportEvent) async -> Void) {
        self.jobId = jobId
        self.catalog = catalog
        self.emit = emit
        progress.bytesTotal = plan.bytes
        progress.objectsTotal = plan.objects
    }

    func startFile(_ path: String) {
        progress.currentFile = path
    }

    func bytesRead(_ count: Int) async {
        progress.bytesDone += Int64(count)
        await sendProgress(force: false)
    }

    func retried(operation: String, attempt: Int, message: String) async {
        progress.retries += 1
        await emit(.retry(job: jobId, operation: operation, attempt: attempt, message: message))
    }

    /// Records a storage event; stored and skipped objects become `import_job_objects` rows.
    func record(_ event: StorageEvent) async throws {
        let object: StoredObject
        let skipped: Bool
        switch event {
        case .objectStored(let stored): (object, skipped) = (stored, false)
        case .objectSkipped(let stored): (object, skipped) = (stored, true)
        case .fileWritten, .manifestStored: return
        }
        if case .chunk(_, let ordinal) = object.kind { progress.currentChunk = ordinal }
        try catalog.recordStoredObject(
            ImportJobObjectRecord(
                jobId: jobId, sequence: sequence, objectKey: object.key, state: .stored, storedSize: object.storedSize,
                plaintextSize: object.plaintextSize),
            bytesDone: progress.bytesDone)
        if !skipped { storedKeys.append(object.key) }
        progress.objectsDone += 1
        await emit(
            .object(
                job: jobId, sequence: sequence, key: object.key, plaintextSize: object.plaintextSize, skipped: skipped))
        sequence += 1
        await sendProgress(force: true)
    }

    func manifestStored() async {
        progress.objectsDone += 1
        progress.bytesDone = progress.bytesTotal
        await sendProgress(force: true)
    }

    private func sendProgress(force: Bool) async {
        let now = Date()
        guard force || now.timeIntervalSince(lastSent) >= 0.1 else { return }
        lastSent = now
        let elapsed = now.timeIntervalSince(started)
        progress.bytesPerSecond = elapsed > 0.05 ? Double(progress.bytesDone) / elapsed : 0
        await emit(.progress(job: jobId, progress))
    }
}
