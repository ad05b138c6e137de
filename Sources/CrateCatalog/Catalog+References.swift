import Foundation
import GRDB

/// Everything this catalog still needs on one profile. `crate gc` keeps it on top of what the
/// profile's manifests reference (the store decides what is live; the catalog only adds).
public struct ProfileReferences: Sendable {
    /// Objects a file of a stored copy maps to.
    public var objectKeys: Set<String>
    /// Manifests of stored copies.
    public var manifestKeys: Set<String>
    /// Objects and manifests of jobs that have not finished (they may yet resume).
    public var unfinishedJobKeys: Set<String>

    /// Whether `key` is in use for any of the reasons above.
    public func contains(_ key: String) -> Bool {
        objectKeys.contains(key) || manifestKeys.contains(key) || unfinishedJobKeys.contains(key)
    }
}

extension Catalog {
    /// What the profile's stored copies and unfinished jobs use.
    public func references(profileId: Int64) throws(CatalogError) -> ProfileReferences {
        try read { db in
            let objects = try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT c.object_key FROM chunks c JOIN file_chunks fc ON fc.chunk_id = c.id
                    WHERE c.profile_id = ?
                    """, arguments: [profileId])
            let manifests = try String.fetchAll(
                db, sql: "SELECT manifest_key FROM release_storage WHERE profile_id = ?", arguments: [profileId])
            let unfinished = try ImportJobRecord.filter(
                sql: "profile_id = ? AND state NOT IN ('committed', 'failed', 'cancelled')", arguments: [profileId]
            ).fetchAll(db)
            var jobKeys = Set(try Self.unfinishedJobObjectKeys(profileId: profileId, db))
            for job in unfinished {
                if let releaseId = job.releaseId { jobKeys.insert("manifests/" + releaseId) }
            }
            return ProfileReferences(
                objectKeys: Set(objects), manifestKeys: Set(manifests), unfinishedJobKeys: jobKeys)
        }
    }

    /// Drops object rows of the profile that no mapping row references (left by an
    /// interrupted removal); returns how many went.
    @discardableResult
    public func dropUnreferencedObjectRows(profileId: Int64) throws(CatalogError) -> Int {
        try write { db in
            try db.execute(
                sql: """
                    DELETE FROM chunks WHERE profile_id = ? AND id NOT IN (SELECT chunk_id FROM file_chunks)
                    """, arguments: [profileId])
            return db.changesCount
        }
    }
}
