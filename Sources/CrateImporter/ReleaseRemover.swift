import CrateCatalog
import CrateStorage
import Foundation

/// What removing release copies did.
public struct RemovalReport: Sendable, Hashable {
    public struct Copy: Sendable, Hashable {
        public var profile: String
        /// Objects deleted from storage (the manifest included).
        public var objectsDeleted: Int
        public var bytesDeleted: Int64
        /// Objects kept because another release (of any catalog sharing the profile) or an
        /// unfinished job still uses them.
        public var objectsShared: Int
        /// Why the copy's objects were not reclaimed now, when they were not (a writer holds the
        /// store, the profile is locked): they wait for `crate gc`. The copy itself is gone.
        public var leftForGC: String?
        /// Deletions that failed; the objects are orphans now, for `crate gc`.
        public var failures: [String]
    }

    public var releaseId: String
    public var copies: [Copy]
    /// Whether the release is gone from the catalog (its last copy was removed).
    public var releaseRemoved: Bool
}

/// Removes release copies, in two steps (docs/decisions.md, "Deleting: the store decides what
/// is live"):
///
/// 1. *Forget*: the copy's manifest is deleted from the store, then its catalog rows
///    (`Catalog.removeCopy`). From the manifest's deletion on, no catalog sees the copy; a
///    process killed between the two leaves the catalog row, and running `crate rm` again
///    finishes. Deleting a manifest never loses another release's objects.
/// 2. *Reclaim*: the copy's objects go through `ObjectReclaimer` — under the store's exclusive
///    lock, after re-reading every manifest in the store — so an object another release or a
///    running import (of any catalog, on any machine) uses is kept. When the lock cannot be had
///    (a writer is running) or a sealed profile's key is not at hand, the objects are left for
///    `crate gc`, and the report says why.
public struct ReleaseRemover: Sendable {
    let catalog: Catalog
    let opener: ProfileOpener

    public init(catalog: Catalog, opener: ProfileOpener) {
        self.catalog = catalog
        self.opener = opener
    }

    /// Removes the copy on `profileName`, or every copy (the whole release) when `nil`.
    public func remove(release id: String, profileName: String? = nil) async throws -> RemovalReport {
        let release = try catalog.release(id).release
        let copies = try catalog.copies(ofRelease: release.id)
        var chosen = copies
        if let profileName {
            chosen = copies.filter { $0.1.name == profileName }
            if chosen.isEmpty {
                throw ReleaseCopies.ReadError.noCopyOnProfile(
                    release: release.id, profile: profileName, available: copies.map(\.1.name))
            }
        }
        var report = RemovalReport(releaseId: release.id, copies: [], releaseRemoved: false)
        for (copy, profile) in chosen {
            let keys = try catalog.files(ofRelease: release.id).reduce(into: Set<String>()) { keys, file in
                for piece in try catalog.pieces(ofFile: file.id!, onProfile: profile.id!) {
                    keys.insert(piece.chunk.objectKey)
                }
            }
            let store = try opener.baseStore(for: profile.location)
            let manifestSize = try await store.head(copy.manifestKey)?.size
            try await store.delete(copy.manifestKey)
            let removed = try catalog.removeCopy(releaseId: release.id, profileId: copy.profileId)
            report.releaseRemoved = removed.releaseRemoved
            var result = RemovalReport.Copy(
                profile: profile.name, objectsDeleted: manifestSize == nil ? 0 : 1, bytesDeleted: manifestSize ?? 0,
                objectsShared: 0, leftForGC: nil, failures: [])
            await reclaim(keys, on: profile, into: &result)
            report.copies.append(result)
        }
        return report
    }

    private func reclaim(_ keys: Set<String>, on profile: StorageProfileRecord, into result: inout RemovalReport.Copy)
        async
    {
        do {
            let reclaimer = await ObjectReclaimer(
                catalog: catalog, profile: profile, stack: try opener.open(profile), lockSettings: opener.lockSettings)
            let outcome = try await reclaimer.reclaim(.only(keys), operation: "rm", dryRun: false)
            result.objectsDeleted += outcome.deleted.count
            result.bytesDeleted += outcome.deleted.reduce(0) { $0 + $1.size }
            result.objectsShared = keys.count - outcome.orphans.count - outcome.missing
            result.failures += outcome.failures
        } catch {
            result.leftForGC = "\(error)"
        }
    }
}
