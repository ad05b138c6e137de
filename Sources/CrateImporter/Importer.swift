import CrateCatalog
import CrateCore
import CrateStorage
import Crypto
import Foundation
import Synchronization

/// Runs import jobs: scan → identify → plan → transfer → commit (→ verify), reporting every
/// step as `ImportEvent`s. Jobs are recorded in the catalog before any work, and each stored
/// object as it lands, so a job killed at any point resumes (`resume`) skipping what is stored.
///
/// A job runs in one process at a time: `prepare` and `run` claim it (`JobClaims`, lock files
/// beside a file catalog), and a process asked to run a job another live process holds refuses.
public final class Importer: Sendable {
    let catalog: Catalog
    let opener: ProfileOpener
    let claims: JobClaims

    /// `claims` defaults to lock files in `locks/` beside the catalog file (in-process claims
    /// for an in-memory catalog).
    public init(catalog: Catalog, opener: ProfileOpener, claims: JobClaims? = nil) {
        self.catalog = catalog
        self.opener = opener
        self.claims =
            claims
            ?? JobClaims(folder: catalog.filePath.map { ($0 as NSString).deletingLastPathComponent + "/locks" })
    }

    /// Records a job for `source` on the named profile, or the default one, claimed by this
    /// process until `run` ends it. Fails before anything is written when the profile or the
    /// source folder is wrong. With `followLinksOutside`, symbolic links pointing outside the
    /// folder are stored as what they point to (`SourceScanner`); the job remembers it. With
    /// `allowDamaged`, files the audio check finds damaged are imported anyway (`AudioScreening`).
    public func prepare(
        source: String, profileName: String?, followLinksOutside: Bool = false, allowDamaged: Bool = false
    ) throws -> ImportJobRecord {
        let profile = try chooseProfile(profileName)
        let absolute = URL(fileURLWithPath: source).standardizedFileURL.path
        _ = try SourceScanner.scan(absolute, followLinksOutside: followLinksOutside)
        let id = Self.newIdentifier()
        try claims.claim(id, sourcePath: absolute)
        do {
            return try catalog.createJob(
                id: id, sourcePath: absolute, profileId: profile.id!, followLinksOutside: followLinksOutside,
                allowDamaged: allowDamaged)
        } catch {
            claims.release(id)
            throw error
        }
    }

    /// The named profile, else the default; with neither, a message listing the profiles.
    public func chooseProfile(_ name: String?) throws -> StorageProfileRecord {
        if let name { return try catalog.profile(named: name) }
        if let profile = try catalog.defaultProfile() { return profile }
        throw ImportSetupError.noDefaultProfile(known: try catalog.profiles().map(\.name))
    }

    /// Runs (or resumes) a job to its end. Never throws: the outcome says how it ended, and the
    /// job row records it. Cancelling the task stops the job as `stop` says (by default it
    /// cancels: what it stored goes).
    @discardableResult
    public func run(
        jobId: String, verify: Bool = false, stop: ImportStop = ImportStop(),
        onEvent: @escaping @Sendable (ImportEvent) async -> Void
    ) async -> ImportOutcome {
        await ending(jobId, stop: stop, onEvent: onEvent) {
            try await planAndTransfer(jobId, verify: verify, batch: nil, onEvent: onEvent)
        }
    }

    /// Claims the job, runs `body` and ends the job as its result says: the outcome, a stop
    /// on cancellation (as `stop` asks), or a failure recorded on the job (resumable or not);
    /// then sends `.finished`. Never throws.
    func ending(
        _ jobId: String, stop: ImportStop, batch: ImportBatch? = nil,
        onEvent: @escaping @Sendable (ImportEvent) async -> Void, body: () async throws -> ImportOutcome
    ) async -> ImportOutcome {
        do {
            try claims.claim(jobId, sourcePath: (try? catalog.job(jobId))?.sourcePath ?? "")
        } catch {
            // Another process runs this job: its row is that process's to update.
            let outcome = ImportOutcome.failed(message: "\(error)")
            await onEvent(.finished(job: jobId, outcome))
            return outcome
        }
        defer { claims.release(jobId) }
        let outcome: ImportOutcome
        do {
            outcome = try await body()
        } catch  where error is CancellationError || Task.isCancelled {
            // A cancelled request may surface as any error (a dropped connection, a failed
            // write): once the task is cancelled, the job stops as asked, whatever was thrown.
            outcome = await stopped(jobId, stop.mode, batch)
        } catch {
            let failure = failure(error, jobId: jobId)
            try? catalog.updateJob(jobId, state: failure.state, errorMessage: failure.message)
            if failure.state == .failed {
                // A job that cannot resume leaves nothing behind (a manifest stored before a
                // verify or commit failed would otherwise stay, keeping its objects alive).
                await discardEnded(jobId, batch)
                outcome = .failed(message: failure.message)
            } else {
                outcome = .interrupted(message: failure.message)
            }
        }
        await onEvent(.finished(job: jobId, outcome))
        return outcome
    }

    private func stopped(_ jobId: String, _ mode: ImportStop.Mode, _ batch: ImportBatch?) async -> ImportOutcome {
        switch mode {
        case .pause:
            // The row keeps its unfinished state and the objects their records: resume skips them.
            return .paused
        case .cancel:
            try? catalog.updateJob(jobId, state: .cancelled)
            await discardEnded(jobId, batch)
            return .cancelled
        }
    }

    /// Ends an unfinished job that no process runs (a paused one, one a crash or outage left):
    /// what it stored that nothing else uses is deleted and the job is marked cancelled.
    /// Returns the objects deleted. When that cannot be done (the profile's key is locked,
    /// another process holds the store) it throws and the job stays as it was, to try again.
    @discardableResult
    public func cancelUnfinished(jobId: String) async throws -> Int {
        guard let job = try catalog.job(jobId) else { throw ImportSetupError.unknownJob(jobId) }
        guard !job.state.isFinished else { throw ImportSetupError.jobFinished(jobId, job.state) }
        guard let profile = try catalog.profile(id: job.profileId) else {
            throw ImportSetupError.unknownJob(jobId)
        }
        try claims.claim(jobId, sourcePath: job.sourcePath)
        defer { claims.release(jobId) }
        let stack = try await opener.open(profile)
        // Cancelled first: the reclaimer spares what unfinished jobs recorded.
        try catalog.updateJob(jobId, state: .cancelled)
        do {
            return try await discardOrThrow(jobId: jobId, releaseId: job.releaseId, stack: stack)
        } catch {
            try? catalog.updateJob(jobId, state: job.state)
            throw error
        }
    }

    /// A job after its plan: ended already (a duplicate), or ready to transfer.
    enum PlanStep: Sendable {
        case ended(ImportOutcome)
        case planned(PlannedJob)
    }

    /// What a planned job's transfer needs.
    struct PlannedJob: Sendable {
        let job: ImportJobRecord
        let profile: StorageProfileRecord
        let files: [ScannedFile]
        let identified: IdentifiedRelease
        let plan: ImportPlan
        /// The profile's data key, unlocked beside scan, identify and plan.
        let unlocking: Task<DataKey?, any Error>
    }

    /// Scan, identify and plan.
    func planJob(_ jobId: String, onEvent: @escaping @Sendable (ImportEvent) async -> Void) async throws
        -> PlanStep
    {
        guard let job = try catalog.job(jobId) else { throw ImportSetupError.unknownJob(jobId) }
        guard !job.state.isFinished else { throw ImportSetupError.jobFinished(jobId, job.state) }
        guard let profile = try catalog.profile(id: job.profileId) else {
            throw ImportSetupError.unknownJob(jobId)
        }
        // An encrypted profile's key (scrypt) is unlocked beside scan, identify and plan.
        let unlocking = try opener.startUnlocking(profile)
        var handedOver = false
        defer { if !handedOver { unlocking.cancel() } }

        try await enter(.scan, job: jobId, state: .scanning, onEvent)
        let files = try SourceScanner.scan(job.sourcePath, followLinksOutside: job.followLinksOutside)

        try await enter(.identify, job: jobId, state: .identifying, onEvent)
        let identified = ReleaseIdentifier.identify(folder: job.sourcePath, files: files)
        await onEvent(.identified(job: jobId, identified))
        for warning in identified.warnings { await onEvent(.warning(job: jobId, warning)) }

        try await enter(.plan, job: jobId, state: .planning, onEvent)
        let plan = try self.plan(files, on: profile)
        await onEvent(.planned(job: jobId, plan))
        if let existing = plan.duplicateOf {
            try catalog.updateJob(
                jobId, state: .failed,
                errorMessage: "an identical release is already on profile \(profile.name): \(existing)")
            return .ended(.duplicate(releaseId: existing))
        }
        handedOver = true
        return .planned(
            PlannedJob(
                job: job, profile: profile, files: files, identified: identified, plan: plan, unlocking: unlocking))
    }

    /// Transfer, commit (and verify) a planned job. In a `batch`, the store lock is the batch's
    /// (shared with the other jobs running and kept for the next) and what a job must delete
    /// waits for the batch's end (`ImportBatch`).
    func transfer(
        _ planned: PlannedJob, verify: Bool, batch: ImportBatch? = nil,
        onEvent: @escaping @Sendable (ImportEvent) async -> Void
    ) async throws -> ImportOutcome {
        let (job, profile, files, identified, plan) = (
            planned.job, planned.profile, planned.files, planned.identified, planned.plan
        )
        let jobId = job.id
        let unlocking = planned.unlocking
        defer { unlocking.cancel() }
        let tracker = try JobTracker(jobId: jobId, catalog: catalog, plan: plan, emit: onEvent)
        defer { tracker.end() }
        // Retries happen deep in the S3 client, in the task storing the object they concern:
        // they reach the job's event stream from here, naming that object.
        let stack = try opener.open(profile, dataKey: try await unlocking.valueUnlessCancelled()) { retry in
            let note = RetryNote(
                attempt: retry.attempt, maxAttempts: retry.maxAttempts, reason: "\(retry.error)", cell: ObjectPut.cell)
            Task { await tracker.retried(note, operation: retry.operation) }
        }
        // A release already catalogued from another profile gets a copy here, under its own id.
        let releaseId = plan.addsCopyOf?.id ?? job.releaseId ?? Self.newIdentifier()
        // The shared store lock: from before the first "already stored?" check until the
        // manifest is in, no gc or rm of any catalog deletes an object this job counts on. A
        // batch keeps it from job to job (`BatchLocks`).
        let acquire: @Sendable (_ onWait: @escaping BatchLocks.Notice) async throws -> HeldStoreLock = {
            [opener] onWait in
            try await StoreLocks(store: stack.store, settings: opener.lockSettings).acquire(
                .shared, operation: "import", waitUpTo: opener.lockSettings.writerWait, onWait: onWait)
        }
        let notice = Self.waitNotice(jobId, onEvent)
        let lock: HeldStoreLock
        if let batch {
            lock = try await batch.locks.lock(for: profile.id!, notice: notice, acquire: acquire)
        } else {
            lock = try await acquire(notice)
        }
        await tracker.begin()
        do {
            let outcome = try await transferAndCommit(
                job: job, releaseId: releaseId, files: files, identified: identified, plan: plan, profile: profile,
                stack: stack, lock: lock, tracker: tracker, verify: verify, onEvent: onEvent)
            if case .duplicate = outcome {
                if let batch {
                    batch.discardLater(jobId)
                } else {
                    // Discarding takes the exclusive lock, which our own shared one would refuse.
                    await lock.release()
                    await discard(jobId: jobId, releaseId: releaseId, stack: stack)
                }
            } else if batch == nil {
                await lock.release()
            }
            return outcome
        } catch {
            if let batch {
                // A lost lock is the batch's no more: the next job takes a new one.
                if error is StoreLockError { await batch.locks.drop(profile.id!, ifHolding: lock) }
            } else {
                // Also before a cancel or failure discards what the job stored (exclusive lock).
                await lock.release()
            }
            throw error
        }
    }

    /// What a writer tells the user while a gc or rm holds the store (once).
    static func waitNotice(_ jobId: String, _ onEvent: @escaping @Sendable (ImportEvent) async -> Void)
        -> @Sendable ([StoreLockInfo]) async -> Void
    {
        let told = Mutex(false)
        return { holders in
            guard
                !told.withLock({ told in
                    defer { told = true }
                    return told
                })
            else { return }
            await onEvent(
                .warning(
                    job: jobId,
                    "waiting for the store: \(holders.map(\.description).joined(separator: "; "))"))
        }
    }

    private func transferAndCommit(
        job: ImportJobRecord, releaseId: String, files: [ScannedFile], identified: IdentifiedRelease, plan: ImportPlan,
        profile: StorageProfileRecord, stack: StorageStack, lock: HeldStoreLock, tracker: JobTracker, verify: Bool,
        onEvent: @escaping @Sendable (ImportEvent) async -> Void
    ) async throws -> ImportOutcome {
        let jobId = job.id
        try await enter(.transfer, job: jobId, state: .transferring, onEvent)
        try catalog.updateJob(jobId, state: .transferring, bytesTotal: plan.bytes, releaseId: releaseId)
        // A new copy of a catalogued release carries the catalog's metadata, not this folder's tags.
        let known = plan.addsCopyOf == nil ? nil : try catalog.release(releaseId).release
        let info = ReleaseInfo(
            id: releaseId, artist: known?.artist ?? identified.artist, title: known?.title ?? identified.title,
            year: known?.year ?? identified.year,
            extra: [
                "label": known?.label ?? identified.label,
                "catalogNumber": known?.catalogNumber ?? identified.catalogNumber,
            ].compactMapValues { $0 })
        // What an interrupted run stored: the writer keeps each whole file still holding that content.
        let resuming = try catalog.storedObjects(ofJob: jobId).wholeFileHashes
        let writer = try stack.makeWriter(release: info, resuming: resuming) { event in
            try? await tracker.record(event)
        }
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0.relativePath, $0) })
        let ticker = Task { await tracker.tickEverySecond() }
        defer { ticker.cancel() }
        // Beside the transfer; cancelled with it when the transfer throws.
        async let screening = AudioScreening.screen(files, job: jobId, onEvent: onEvent)
        do {
            for path in ReleaseWriter.sorted(files.map(\.relativePath)) {
                try Task.checkCancellation()
                let file = byPath[path]!
                await tracker.startFile(path)
                do {
                    try await writer.writeFile(path: path, size: file.size) { try SourceFileReader(file) }
                } catch StorageError.fileSizeChanged {
                    throw ImportError.sourceChanged(file.absolutePath)
                }
                try SourceScanner.checkUnchanged(file)
            }
            // The transfer lasts until the store has acknowledged the last object.
            try await writer.flush()
        } catch {
            // No put may outlive the job (a cancel deletes what it stored right after this):
            // stop those in flight, reporting those that landed anyway.
            await writer.cancel()
            throw error
        }
        ticker.cancel()
        let audio = try await screening
        try AudioScreening.requireIntact(audio, allowDamaged: job.allowDamaged)

        try await enter(.commit, job: jobId, state: .committing, onEvent)
        let manifest = try await writer.finish()
        await tracker.manifestStored()
        // Still ours after the manifest landed: no collector can have judged the lock stale and
        // deleted what the manifest references (a collector reads manifests only after it has
        // removed the stale locks it overrides).
        try await lock.check()
        var new = ReleaseCommitBuilder.build(
            manifest: manifest, identified: identified, folder: job.sourcePath, profileId: profile.id!)
        AudioScreening.apply(audio, to: &new)
        if let existing = try catalog.storedRelease(contentHash: new.release.contentHash, profileId: profile.id!) {
            return try await endAsDuplicate(of: existing.id, job: jobId, manifest: manifest, stack: stack, profile)
        }
        if verify {
            try await enter(.verify, job: jobId, state: .verifying, onEvent)
            try await Self.verify(ReleaseStorage(stack: stack, manifest: manifest))
        }
        if let existing = try catalog.commitRelease(new, finishingJob: jobId, refusingDuplicate: true) {
            return try await endAsDuplicate(of: existing, job: jobId, manifest: manifest, stack: stack, profile)
        }
        return .committed(releaseId: releaseId)
    }

    /// Ends a job whose release turned out to be on the profile already (another import of the
    /// same files committed first): its manifest goes, so `crate recover` finds the release
    /// once; objects it stored that nothing else uses are left for `crate gc`.
    private func endAsDuplicate(
        of existing: String, job jobId: String, manifest: ReleaseManifest, stack: StorageStack,
        _ profile: StorageProfileRecord
    ) async throws -> ImportOutcome {
        if existing != manifest.release.id { try? await stack.store.delete(manifest.objectKey) }
        try catalog.updateJob(
            jobId, state: .failed,
            errorMessage: "an identical release is already on profile \(profile.name): \(existing)")
        return .duplicate(releaseId: existing)
    }

    private func enter(
        _ stage: ImportStage, job: String, state: ImportJobRecord.State,
        _ onEvent: @Sendable (ImportEvent) async -> Void
    ) async throws {
        try Task.checkCancellation()
        try catalog.updateJob(job, state: state)
        await onEvent(.stage(job: job, stage))
    }

    /// Reads every file back through the storage stack; the reader checks each SHA-256.
    static func verify(_ release: ReleaseStorage) async throws {
        for file in release.listFiles() {
            let reader = try await release.readFile(file.path, verify: true)
            while try await !reader.read(upTo: 1 << 20).isEmpty {}
        }
    }

    /// The preflight of importing `files` into `profile`: what it costs, and whether the
    /// catalog already has a release with the same files (paths and SHA-256s, as the catalog's
    /// content hash records them) — on this profile (nothing to do: `duplicateOf`) or only on
    /// others (the import adds a copy: `addsCopyOf`). The source is hashed only when a release
    /// of the same total size is catalogued that also holds the source's smallest file (hashed
    /// first: a duplicate holds every file), and then looked up by content hash in one query:
    /// comparing with every candidate's file list made a batch of same-sized albums quadratic
    /// (most of it reading file rows), and hashing every file of every same-sized album read
    /// a batch of look-alike albums twice.
    public func plan(_ files: [ScannedFile], on profile: StorageProfileRecord) throws -> ImportPlan {
        var plan = ImportPlan(files: files, spec: profile.spec, uploadLimit: opener.uploadPace?.bytesPerSecond)
        let total = files.reduce(Int64(0)) { $0 + $1.size }
        guard try catalog.hasRelease(totalBytes: total) else { return plan }
        if let probe = files.min(by: { ($0.size, $0.relativePath) < ($1.size, $1.relativePath) }) {
            let hash = try Self.sha256(of: probe.absolutePath)
            guard try catalog.hasRelease(totalBytes: total, holdingFile: hash, size: probe.size) else { return plan }
        }
        let hashes = try files.map { (path: $0.relativePath, sha256: try Self.sha256(of: $0.absolutePath)) }
        let contentHash = ReleaseCommitBuilder.contentHash(hashes)
        if let here = try catalog.storedRelease(contentHash: contentHash, profileId: profile.id!) {
            plan.duplicateOf = here.id
        } else if let elsewhere = try catalog.release(contentHash: contentHash), !elsewhere.profiles.isEmpty {
            plan.addsCopyOf = ImportPlan.CatalogedRelease(
                id: elsewhere.release.id, artist: elsewhere.release.artist, title: elsewhere.release.title,
                profiles: elsewhere.profiles)
        }
        return plan
    }

    static func sha256(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.unreadable(path, reason: "cannot open")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { hasher.update(data: data) }
        return Hex.string(hasher.finalize())
    }

    /// After a cancel or a failure that cannot resume: what the job stored that nothing else
    /// uses is deleted (`discard`), in a task of its own (the job's may be cancelled); in a
    /// batch, once the batch has ended (`ImportBatch`).
    private func discardEnded(_ jobId: String, _ batch: ImportBatch?) async {
        guard let batch else { return await discardEnded(jobId) }
        batch.discardLater(jobId)
    }

    /// `discardEnded` now.
    func discardEnded(_ jobId: String) async {
        guard let job = try? catalog.job(jobId),
            let profile = try? catalog.profile(id: job.profileId),
            let stack = try? await opener.open(profile)
        else { return }
        await Task { await discard(jobId: jobId, releaseId: job.releaseId, stack: stack) }.value
    }

    /// Deletes what an ended, uncommitted job stored: its manifest (when the release did not
    /// reach the catalog; no other catalog can know its fresh id) and then, through
    /// `ObjectReclaimer` under the exclusive store lock, its objects that nothing live uses.
    /// When the lock cannot be had (another writer runs), the objects wait for `crate gc`.
    func discard(jobId: String, releaseId: String?, stack: StorageStack) async {
        _ = try? await discardOrThrow(jobId: jobId, releaseId: releaseId, stack: stack)
    }

    /// `discard`, saying how many objects went, or why none could.
    func discardOrThrow(jobId: String, releaseId: String?, stack: StorageStack) async throws -> Int {
        guard let job = try catalog.job(jobId),
            let profile = try catalog.profile(id: job.profileId)
        else { return 0 }
        // Unless the release has a copy on this profile (committed after all, by this job or
        // another), the manifest there is this job's: a fresh id no other catalog knows, or a
        // copy of a release catalogued from other profiles that never came to be.
        if let releaseId, try !catalog.copies(ofRelease: releaseId).contains(where: { $0.1.id == profile.id }) {
            try await stack.store.delete(ObjectNaming.manifestKey(releaseID: releaseId))
        }
        let keys = Set(try catalog.storedObjects(ofJob: jobId).map(\.objectKey))
        guard !keys.isEmpty else { return 0 }
        let reclaimer = ObjectReclaimer(
            catalog: catalog, profile: profile, stack: stack, lockSettings: opener.lockSettings)
        return try await reclaimer.reclaim(.only(keys), operation: "cancel", dryRun: false).orphans.count
    }

    /// The message for a job that stopped on `error`, and the state the job is left in: a full
    /// disk under the profile, or storage that stopped answering after every retry (a lost
    /// connection, an outage), leaves it unfinished, so `crate import --resume` continues it
    /// once the cause has passed; anything else fails it.
    private func failure(_ error: any Error, jobId: String) -> (message: String, state: ImportJobRecord.State) {
        // A lost lock, or a gc that held the store for longer than the writer waits: nothing is
        // wrong with the job, which resumes (`crate import --resume`) checking every object again.
        if error is StoreLockError, let job = try? catalog.job(jobId) {
            return ("\(error)", job.state)
        }
        if let storage = error as? StorageError, storage.isRetryable, let job = try? catalog.job(jobId) {
            return (
                "\(storage); the job is kept: run `crate import --resume` once the storage answers again "
                    + "(what is stored is kept)", job.state
            )
        }
        guard case .io(_, _, let code) = error as? StorageError, (error as? StorageError)?.isOutOfSpace == true,
            let job = try? catalog.job(jobId),
            let profile = try? catalog.profile(id: job.profileId)
        else { return (String(describing: error), .failed) }
        let full = ImportError.profileFull(
            profile: profile.name, location: profile.spec.location.summary, reason: String(cString: strerror(code)))
        return (full.description, job.state)
    }

    /// 32 hex digits from the system's secure random generator.
    static func newIdentifier() -> String {
        Hex.random(bytes: 16)
    }
}

extension [ImportJobObjectRecord] {
    /// Key → SHA-256 of the whole files among these objects (what a writer resuming needs).
    var wholeFileHashes: [String: String] {
        Dictionary(compactMap { row in row.sha256.map { (row.objectKey, $0) } }, uniquingKeysWith: { _, last in last })
    }
}

/// Why an import could not be set up.
public enum ImportSetupError: Error, Sendable, CustomStringConvertible {
    case noDefaultProfile(known: [String])
    case unknownJob(String)
    case jobFinished(String, ImportJobRecord.State)
    /// Another live process runs the job (it holds the job's lock file).
    case jobRunningElsewhere(String, sourcePath: String, pid: Int32?)
    /// The job's lock file could not be made.
    case cannotClaim(String, path: String, reason: String)

    public var description: String {
        switch self {
        case .noDefaultProfile(let known) where known.isEmpty:
            "there are no storage profiles yet; add one with `crate profile add NAME --local DIR`"
        case .noDefaultProfile(let known):
            "no --profile given and no default profile set; profiles: \(known.joined(separator: ", ")); "
                + "pass --profile NAME or set one with `crate profile default NAME`"
        case .unknownJob(let id): "no import job \(id)"
        case .jobFinished(let id, let state): "import job \(id) has already ended (\(state.rawValue))"
        case .jobRunningElsewhere(let id, let source, let pid):
            "import job \(id) (\(source)) is being run by another crate process"
                + (pid.map { " (pid \($0))" } ?? "")
                + "; wait for it to finish, or stop that process and run `crate import --resume`"
        case .cannotClaim(let id, let path, let reason):
            "cannot claim import job \(id): \(path): \(reason); check that the data folder is writable"
        }
    }
}
