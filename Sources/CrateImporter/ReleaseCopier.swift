import CrateCatalog
import CrateStorage
import Foundation

/// What a copy between profiles reports as it goes.
public enum CopyEvent: Sendable, Hashable {
    /// A file is about to be streamed (path, bytes).
    case file(String, Int64)
    /// An object was stored on the destination, or found already there and skipped.
    case object(key: String, bytes: Int64, skipped: Bool)
    /// Every file is stored; reading the destination back.
    case verifying
    /// The copy is in the catalog.
    case committed
    /// `move`: the source copy was removed.
    case sourceRemoved(RemovalReport)
}

/// How a copy ended.
public struct CopyOutcome: Sendable, Hashable {
    public var releaseId: String
    public var source: String
    public var destination: String
    public var objectsStored: Int
    public var objectsSkipped: Int
    public var bytes: Int64
    /// The source's removal, for a move.
    public var removal: RemovalReport?
}

/// Copies (or moves) a release copy to another profile, whatever the two layouts, codecs and
/// locations: each file is streamed out of the source (checked against its hash as it is
/// read) into a `ReleaseWriter` of the destination, the destination is read back in full,
/// and only then is the copy committed to the catalog; a move then removes the source copy.
///
/// The copy runs as a job of kind `copy`: each stored object is recorded, so `crate gc`
/// leaves them alone, and running the same copy again after an interruption reuses the job
/// and skips what is already stored (chunks by their content names, whole-file objects when
/// present with their expected size; the read-back catches anything amiss).
public struct ReleaseCopier: Sendable {
    let catalog: Catalog
    let opener: ProfileOpener

    public init(catalog: Catalog, opener: ProfileOpener) {
        self.catalog = catalog
        self.opener = opener
    }

    public func copy(
        release id: String, to destinationName: String, from sourceName: String? = nil, move: Bool = false,
        onEvent: @escaping @Sendable (CopyEvent) async -> Void = { _ in }
    ) async throws -> CopyOutcome {
        let summary = try catalog.release(id)
        let release = summary.release
        let destination = try catalog.profile(named: destinationName)
        if summary.profiles.contains(destinationName) {
            throw CopyError.alreadyThere(release: release.id, profile: destinationName)
        }
        if let sourceName, sourceName == destinationName {
            throw CopyError.sameProfile(destinationName)
        }
        let (source, sourceProfile) = try await ReleaseCopies(catalog: catalog, opener: opener)
            .open(release: release.id, profileName: sourceName)
        if sourceProfile.location == destination.location {
            // Same objects under two names: a move would delete the new copy with the old.
            throw CopyError.sameLocation(source: sourceProfile.name, destination: destination.name)
        }
        let target = try await opener.open(destination)
        let job = try catalog.copyJob(
            releaseId: release.id, toProfile: destination.id!, newId: Importer.newIdentifier())
        do {
            var outcome = try await transfer(
                release, from: source, to: target, destination: destination, jobId: job.id, onEvent: onEvent)
            outcome.source = sourceProfile.name
            if move {
                let removal = try await ReleaseRemover(catalog: catalog, opener: opener)
                    .remove(release: release.id, profileName: sourceProfile.name)
                outcome.removal = removal
                await onEvent(.sourceRemoved(removal))
            }
            return outcome
        } catch is CancellationError {
            // Left unfinished on purpose: the next `crate copy` resumes it.
            throw CancellationError()
        } catch {
            try? catalog.updateJob(job.id, state: .failed, errorMessage: "\(error)")
            throw error
        }
    }

    private func transfer(
        _ release: ReleaseRecord, from source: ReleaseStorage, to target: StorageStack,
        destination: StorageProfileRecord, jobId: String, onEvent: @escaping @Sendable (CopyEvent) async -> Void
    ) async throws -> CopyOutcome {
        let recorder = CopyRecorder(log: try StoredObjectLog(jobId: jobId, catalog: catalog), onEvent: onEvent)
        // The destination's shared store lock, held until the manifest is in (as an import's).
        let lock = try await StoreLocks(store: target.store, settings: opener.lockSettings).acquire(
            .shared, operation: "copy", waitUpTo: opener.lockSettings.writerWait)
        do {
            let outcome = try await transfer(
                release, from: source, to: target, destination: destination, jobId: jobId, lock: lock,
                recorder: recorder, onEvent: onEvent)
            await lock.release()
            return outcome
        } catch {
            await lock.release()
            throw error
        }
    }

    private func transfer(
        _ release: ReleaseRecord, from source: ReleaseStorage, to target: StorageStack,
        destination: StorageProfileRecord, jobId: String, lock: HeldStoreLock, recorder: CopyRecorder,
        onEvent: @escaping @Sendable (CopyEvent) async -> Void
    ) async throws -> CopyOutcome {
        // The writer keeps whole files an interrupted run of this copy stored, comparing
        // their recorded content hash with the source manifest's (no download needed).
        let resuming = try catalog.storedObjects(ofJob: jobId).wholeFileHashes
        let writer = try target.makeWriter(release: source.manifest.release, resuming: resuming) { event in
            try? await recorder.record(event)
        }
        let files = try catalog.files(ofRelease: release.id)
        for file in source.listFiles() {
            try Task.checkCancellation()
            await onEvent(.file(file.path, file.size))
            try await writer.writeFile(path: file.path, size: file.size, sha256: file.sha256) {
                try await source.readFile(file.path, verify: true)
            }
        }
        let manifest = try await writer.finish()
        try await lock.check()
        await onEvent(.verifying)
        try await Importer.verify(ReleaseStorage(stack: target, manifest: manifest))
        let recorded = Dictionary(files.map { ($0.relativePath, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        for file in manifest.files where recorded[file.path] != file.sha256 {
            throw StorageError.fileMismatch(release: release.id, path: file.path)
        }
        let new = ReleaseCommitBuilder.build(
            manifest: manifest, release: release, files: files, profileId: destination.id!)
        try catalog.commitRelease(new, finishingJob: jobId)
        await onEvent(.committed)
        let counts = await recorder.counts
        return CopyOutcome(
            releaseId: release.id, source: "", destination: destination.name, objectsStored: counts.stored,
            objectsSkipped: counts.skipped, bytes: release.totalBytes, removal: nil)
    }

    /// Why a copy could not start.
    public enum CopyError: Error, CustomStringConvertible, Sendable {
        case alreadyThere(release: String, profile: String)
        case sameProfile(String)
        case sameLocation(source: String, destination: String)

        public var description: String {
            switch self {
            case .alreadyThere(let release, let profile):
                "release \(release) already has a copy on profile \(profile)"
            case .sameProfile(let profile): "--from and --to both name profile \(profile); pick another destination"
            case .sameLocation(let source, let destination):
                "profiles \(source) and \(destination) store to the same location; a copy there would share "
                    + "its objects with the source"
            }
        }
    }
}

/// Records a copy's stored objects on its job (through the same log as an import's).
actor CopyRecorder {
    private var log: StoredObjectLog
    let onEvent: @Sendable (CopyEvent) async -> Void
    private var bytes: Int64 = 0
    private(set) var counts = (stored: 0, skipped: 0)

    init(log: StoredObjectLog, onEvent: @escaping @Sendable (CopyEvent) async -> Void) {
        self.log = log
        self.onEvent = onEvent
    }

    func record(_ event: StorageEvent) async throws {
        let object: StoredObject
        let skipped: Bool
        switch event {
        case .objectStored(let stored): (object, skipped) = (stored, false)
        case .objectSkipped(let stored): (object, skipped) = (stored, true)
        case .fileWritten, .manifestStored, .putStarted, .putSent, .putConfirmed, .putFailed: return
        }
        bytes += object.plaintextSize
        try log.append(object, bytesDone: bytes)
        if skipped { counts.skipped += 1 } else { counts.stored += 1 }
        await onEvent(.object(key: object.key, bytes: object.plaintextSize, skipped: skipped))
    }
}
