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
        /// Objects kept because another file, release or unfinished job still uses them.
        public var objectsShared: Int
        /// Deletions that failed; the objects are orphans now, for `crate gc`.
        public var failures: [String]
    }

    public var releaseId: String
    public var copies: [Copy]
    /// Whether the release is gone from the catalog (its last copy was removed).
    public var releaseRemoved: Bool
}

/// Removes release copies: the catalog rows first, in one transaction (`Catalog.removeCopy`,
/// which reference-counts shared objects), then the objects nothing uses any more and the
/// manifest. Deleting needs only the profile's store, never its key.
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
            let objectCount = try catalog.files(ofRelease: release.id).reduce(into: Set<String>()) { keys, file in
                for piece in try catalog.pieces(ofFile: file.id!, onProfile: profile.id!) {
                    keys.insert(piece.chunk.objectKey)
                }
            }.count
            let removed = try catalog.removeCopy(releaseId: release.id, profileId: copy.profileId)
            report.releaseRemoved = removed.releaseRemoved
            report.copies.append(
                await deleteObjects(
                    removed, profile: profile, sharedCount: objectCount - removed.unreferencedObjects.count))
        }
        return report
    }

    private func deleteObjects(_ removed: RemovedCopy, profile: StorageProfileRecord, sharedCount: Int) async
        -> RemovalReport.Copy
    {
        var result = RemovalReport.Copy(
            profile: profile.name, objectsDeleted: 0, bytesDeleted: 0, objectsShared: max(0, sharedCount), failures: [])
        let store: any ObjectStore
        do {
            store = try opener.baseStore(for: profile.location)
        } catch {
            result.failures.append("profile \(profile.name): \(error)")
            return result
        }
        var targets = removed.unreferencedObjects.sorted { $0.key < $1.key }.map { ($0.key, Optional($0.value)) }
        targets.append((removed.manifestKey, nil))
        for (key, size) in targets {
            do {
                var bytes = size ?? 0
                if size == nil { bytes = try await store.head(key)?.size ?? 0 }
                try await store.delete(key)
                result.objectsDeleted += 1
                result.bytesDeleted += bytes
            } catch {
                result.failures.append("\(key): \(error)")
            }
        }
        return result
    }
}
