import Foundation
import GRDB

extension Catalog {
    /// The unfinished copy of `releaseId` onto the profile, if an earlier `crate copy` was cut
    /// short; else a new copy job. Its stored objects are recorded as an import's are, so a
    /// second run skips them and `crate gc` leaves them alone.
    public func copyJob(releaseId: String, toProfile profileId: Int64, newId: String) throws(CatalogError)
        -> ImportJobRecord
    {
        try write { db in
            if let job = try ImportJobRecord.fetchOne(
                db,
                sql: """
                    SELECT * FROM import_jobs WHERE kind = 'copy' AND release_id = ? AND profile_id = ?
                    AND state NOT IN ('committed', 'failed', 'cancelled') ORDER BY created_at LIMIT 1
                    """, arguments: [releaseId, profileId])
            {
                return job
            }
            var job = ImportJobRecord(id: newId, sourcePath: "copy of release \(releaseId)", profileId: profileId)
            job.releaseId = releaseId
            job.state = .transferring
            try job.insert(db)
            try db.execute(sql: "UPDATE import_jobs SET kind = 'copy' WHERE id = ?", arguments: [newId])
            return job
        }
    }
}
