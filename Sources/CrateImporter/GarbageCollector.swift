import CrateCatalog
import CrateStorage
import Foundation

/// What `crate gc` found (and, unless a dry run, deleted) on one profile.
public struct GarbageReport: Sendable {
    public var profile: String
    public var dryRun: Bool
    /// Objects no manifest in the store, no catalog row and no unfinished job references.
    public var orphans: [ObjectInfo]
    /// The orphans deleted (none in a dry run; a failed deletion is in `failures`).
    public var deleted: [ObjectInfo]
    /// Bytes of the orphans deleted, or in a dry run of those that would be.
    public var bytes: Int64 { (dryRun ? orphans : deleted).reduce(0) { $0 + $1.size } }
    /// Partial uploads removed (or, in a dry run, that would be): temporary files of a killed
    /// local put, S3 multipart uploads never completed.
    public var partialUploads: [PartialUpload]
    /// Releases stored on the profile that this catalog does not know (another catalog's).
    public var foreignReleases: [String]
    /// Copies this catalog lists whose manifest is gone from the store (removed elsewhere).
    public var missingManifests: [String]
    /// Stale store locks removed to take the exclusive lock.
    public var staleLocksRemoved: [StoreLockInfo]
    /// Object rows dropped from the catalog because no file maps to them any more.
    public var droppedRows: Int
    /// Deletions that failed.
    public var failures: [String]
}

/// `crate gc`: deletes what a profile's store holds that nothing live needs, through
/// `ObjectReclaimer` (the exclusive store lock; every manifest in the store decides what is
/// live). Never deletes a manifest: one this catalog does not know is another catalog's
/// release, and is reported (`crate recover` adds it here).
public struct GarbageCollector: Sendable {
    let catalog: Catalog
    let opener: ProfileOpener

    public init(catalog: Catalog, opener: ProfileOpener) {
        self.catalog = catalog
        self.opener = opener
    }

    public func collect(profileName: String, dryRun: Bool) async throws -> GarbageReport {
        let profile = try catalog.profile(named: profileName)
        let stack: StorageStack
        do {
            stack = try await opener.open(profile)
        } catch let error as StorageError where profile.encrypted && error.isMissingSecret {
            throw GarbageError.locked(profile: profile.name, reason: "\(error)")
        }
        let reclaimer = ObjectReclaimer(
            catalog: catalog, profile: profile, stack: stack, lockSettings: opener.lockSettings)
        let outcome: ObjectReclaimer.Outcome
        do {
            outcome = try await reclaimer.reclaim(.everything, operation: "gc", dryRun: dryRun)
        } catch let error as StoreLockError {
            throw GarbageError.busy(profile: profile.name, error)
        }
        let dropped = dryRun ? 0 : try catalog.dropUnreferencedObjectRows(profileId: profile.id!)
        return GarbageReport(
            profile: profile.name, dryRun: dryRun, orphans: outcome.orphans, deleted: outcome.deleted,
            partialUploads: outcome.partialUploads,
            foreignReleases: outcome.foreignReleases, missingManifests: outcome.missingManifests,
            staleLocksRemoved: outcome.overriddenLocks, droppedRows: dropped, failures: outcome.failures)
    }

    /// Why gc did not run on a profile.
    public enum GarbageError: Error, CustomStringConvertible, Sendable {
        /// Another process holds the store (a writer, or another gc).
        case busy(profile: String, StoreLockError)
        /// An encrypted profile whose key could not be had: its manifests cannot be read.
        case locked(profile: String, reason: String)

        public var description: String {
            switch self {
            case .busy(let profile, let error): "profile \(profile): \(error)"
            case .locked(let profile, let reason):
                "profile \(profile) is encrypted, and gc must read its manifests to know what is live "
                    + "(\(reason)); run gc on a terminal to be asked for the passphrase, or with "
                    + "--passphrase-file PATH or CRATE_PASSPHRASE set"
            }
        }
    }
}
