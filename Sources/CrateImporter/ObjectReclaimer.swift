import CrateCatalog
import CrateStorage
import Foundation

/// Deletes release objects that nothing live references: the one way Crate deletes them (`crate
/// gc`, `crate rm`, a cancelled import or a duplicate found at commit).
///
/// Rules (docs/decisions.md, "Deleting: the store decides what is live"):
/// * It holds the store's **exclusive lock** while it looks and deletes, so no writer (of any
///   catalog, on any machine) can be counting on an object it deletes; it refuses, naming the
///   holders, while another live lock exists.
/// * Under that lock it reads **every manifest in the store**: an object any of them references
///   is live, whichever catalog wrote it. This catalog's own copies and unfinished jobs are kept
///   on top. A manifest that cannot be read stops all deletion.
/// * It deletes only under `objects/` and `releases/`; manifests, `crate-profile.json` and locks
///   are never its to delete. Partial uploads (local temporary files, S3 multipart uploads) are
///   reclaimed by a full collection only: under the exclusive lock no writer can own them.
struct ObjectReclaimer: Sendable {
    let catalog: Catalog
    let profile: StorageProfileRecord
    let stack: StorageStack
    let lockSettings: StoreLocks.Settings

    /// What may be deleted: every object of the profile, or only these keys.
    enum Scope: Sendable {
        case everything
        case only(Set<String>)
    }

    struct Outcome: Sendable {
        /// Objects no manifest and no catalog row references: deleted, or in a dry run listed.
        var orphans: [ObjectInfo] = []
        /// The orphans actually deleted (none in a dry run).
        var deleted: [ObjectInfo] = []
        /// Keys of a limited scope that were not in the store at all.
        var missing = 0
        /// Orphans whose deletion failed, with the reason (left for the next gc).
        var failures: [String] = []
        var partialUploads: [PartialUpload] = []
        /// Stale locks removed to take the exclusive lock.
        var overriddenLocks: [StoreLockInfo] = []
        /// Releases with a manifest in the store that this catalog does not list on the profile:
        /// another catalog's (or not yet recovered).
        var foreignReleases: [String] = []
        /// Copies this catalog lists on the profile whose manifest is gone from the store.
        var missingManifests: [String] = []
    }

    static let collectedPrefixes = ["objects/", "releases/"]
    /// Deletions between two checks that the exclusive lock is still ours.
    static let checkEvery = 64

    func reclaim(_ scope: Scope, operation: String, dryRun: Bool) async throws -> Outcome {
        let lock =
            dryRun
            ? nil
            : try await StoreLocks(store: stack.store, settings: lockSettings).acquire(
                .exclusive, operation: operation)
        do {
            var outcome = try await reclaimLocked(scope, lock: lock, dryRun: dryRun)
            outcome.overriddenLocks = lock?.overridden ?? []
            await lock?.release()
            return outcome
        } catch {
            await lock?.release()
            throw error
        }
    }

    private func reclaimLocked(_ scope: Scope, lock: HeldStoreLock?, dryRun: Bool) async throws -> Outcome {
        let store = stack.store
        var candidates: [ObjectInfo] = []
        var missing = 0
        switch scope {
        case .everything:
            for prefix in Self.collectedPrefixes { candidates += try await store.list(prefix: prefix) }
        case .only(let keys):
            for key in keys.sorted() where Self.collectedPrefixes.contains(where: key.hasPrefix) {
                if let info = try await store.head(key) { candidates.append(info) } else { missing += 1 }
            }
        }
        let liveness = try await stack.liveness()
        guard liveness.unreadable.isEmpty else {
            throw ReclaimError.unreadableManifests(
                profile: profile.name, liveness.unreadable.map { "\($0.key): \($0.reason)" })
        }
        let references = try catalog.references(profileId: profile.id!)
        let live = liveness.referenced.union(references.objectKeys).union(references.unfinishedJobKeys)

        var outcome = Outcome()
        outcome.missing = missing
        let stored = Set(liveness.releaseIDs.map(ObjectNaming.manifestKey(releaseID:)))
        outcome.foreignReleases = liveness.releaseIDs.filter {
            !references.manifestKeys.contains(ObjectNaming.manifestKey(releaseID: $0))
        }
        outcome.missingManifests = references.manifestKeys.subtracting(stored).sorted()
            .map { String($0.dropFirst("manifests/".count)) }
        outcome.orphans = candidates.filter { !live.contains($0.key) }
        guard !dryRun else {
            if case .everything = scope { outcome.partialUploads = try await partialUploads() }
            return outcome
        }
        for (index, object) in outcome.orphans.enumerated() {
            if index % Self.checkEvery == 0 { try await lock?.check() } else { try lock?.checkDeadline() }
            do {
                try await store.delete(object.key)
                outcome.deleted.append(object)
            } catch {
                outcome.failures.append("\(object.key): \(error)")
            }
        }
        if case .everything = scope {
            try await lock?.check()
            guard let partial = store.unwrap(as: (any PartialUploadStore).self) else { return outcome }
            for upload in try await partialUploads() {
                do {
                    try await partial.removePartialUpload(upload)
                    outcome.partialUploads.append(upload)
                } catch {
                    outcome.failures.append("partial upload \(upload.key): \(error)")
                }
            }
        }
        outcome.failures.sort()
        return outcome
    }

    /// Partial uploads under the folders writers write to (never `locks/`: a lock being taken
    /// right now is written through a temporary file too).
    private func partialUploads() async throws -> [PartialUpload] {
        guard let partial = stack.store.unwrap(as: (any PartialUploadStore).self) else { return [] }
        return try await partial.partialUploads(under: Self.collectedPrefixes + ["manifests/"])
    }
}

/// Why objects could not be reclaimed.
public enum ReclaimError: Error, Sendable, CustomStringConvertible {
    /// Manifests in the store could not be read: what they reference is unknown, so nothing is
    /// deleted.
    case unreadableManifests(profile: String, [String])

    public var description: String {
        switch self {
        case .unreadableManifests(let profile, let problems):
            "profile \(profile) holds manifests that cannot be read (\(problems.joined(separator: "; "))); "
                + "nothing is deleted while what they reference is unknown: check them with "
                + "`crate recover --profile \(profile)`, or move them out of manifests/ if they are not Crate's"
        }
    }
}
