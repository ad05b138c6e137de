import Foundation
import GRDB

/// What removing one release copy from the catalog left for the caller to delete in storage.
public struct RemovedCopy: Sendable, Hashable {
    public var releaseId: String
    public var profileId: Int64
    /// The copy's manifest (`manifests/<release id>`).
    public var manifestKey: String
    /// Objects no other file on the profile (and no unfinished job) uses any more, with their
    /// stored sizes.
    public var unreferencedObjects: [String: Int64]
    /// Whether that was the release's last copy, so the release itself left the catalog.
    public var releaseRemoved: Bool
}

extension Catalog {
    /// Removes the release's copy on the profile in one transaction: the copy record, its files'
    /// mapping rows on that profile, the object rows nothing references any more, and, when no
    /// copy is left, the release with its files, tracks and images.
    ///
    /// Objects are reference-counted by `file_chunks` rows: identical chunks are stored once
    /// per profile and shared between files and releases, so an object is released only when
    /// no other mapping row on the profile points at it, and no unfinished job has stored or
    /// skipped it (an import in progress may be counting on it). Storage is the caller's to
    /// clean, after this returns: a failure then leaves orphans for `crate gc`, never a
    /// catalog row naming a deleted object.
    public func removeCopy(releaseId: String, profileId: Int64) throws(CatalogError) -> RemovedCopy {
        try write { db in
            guard
                let copy = try ReleaseStorageRecord.filter(
                    Column("release_id") == releaseId && Column("profile_id") == profileId
                ).fetchOne(db)
            else { throw CatalogError.unknownRelease(releaseId) }
            let chunkIds = try Int64.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT fc.chunk_id FROM file_chunks fc JOIN files f ON f.id = fc.file_id
                    JOIN chunks c ON c.id = fc.chunk_id WHERE f.release_id = ? AND c.profile_id = ?
                    """, arguments: [releaseId, profileId])
            try db.execute(
                sql: """
                    DELETE FROM file_chunks WHERE file_id IN (SELECT id FROM files WHERE release_id = ?)
                    AND chunk_id IN (SELECT id FROM chunks WHERE profile_id = ?)
                    """, arguments: [releaseId, profileId])
            _ = try copy.delete(db)
            var unreferenced: [String: Int64] = [:]
            let jobKeys = try Set(Self.unfinishedJobObjectKeys(profileId: profileId, db))
            for chunkId in chunkIds {
                let uses =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM file_chunks WHERE chunk_id = ?", arguments: [chunkId]) ?? 0
                guard uses == 0, let chunk = try ChunkRecord.fetchOne(db, key: chunkId) else { continue }
                _ = try chunk.delete(db)
                if !jobKeys.contains(chunk.objectKey) { unreferenced[chunk.objectKey] = chunk.storedSize }
            }
            let remaining = try ReleaseStorageRecord.filter(Column("release_id") == releaseId).fetchCount(db)
            if remaining == 0 {
                try db.execute(sql: "DELETE FROM releases WHERE id = ?", arguments: [releaseId])
            }
            return RemovedCopy(
                releaseId: releaseId, profileId: profileId, manifestKey: copy.manifestKey,
                unreferencedObjects: unreferenced, releaseRemoved: remaining == 0)
        }
    }

    /// Object keys that jobs not yet finished on the profile have stored or found stored.
    static func unfinishedJobObjectKeys(profileId: Int64, _ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT o.object_key FROM import_job_objects o JOIN import_jobs j ON j.id = o.job_id
                WHERE j.profile_id = ? AND j.state NOT IN ('committed', 'failed', 'cancelled')
                """, arguments: [profileId])
    }
}
