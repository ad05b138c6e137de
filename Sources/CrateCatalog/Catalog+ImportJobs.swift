import Foundation
import GRDB

extension Catalog {
    /// Records a new job; it resumes from here after a crash.
    @discardableResult
    public func createJob(
        id: String, sourcePath: String, profileId: Int64, followLinksOutside: Bool = false, allowDamaged: Bool = false
    ) throws(CatalogError) -> ImportJobRecord {
        try write { db in
            var job = ImportJobRecord(id: id, sourcePath: sourcePath, profileId: profileId)
            job.followLinksOutside = followLinksOutside
            job.allowDamaged = allowDamaged
            try job.insert(db)
            return job
        }
    }

    public func job(_ id: String) throws(CatalogError) -> ImportJobRecord? {
        try read { db in try ImportJobRecord.fetchOne(db, key: id) }
    }

    /// Moves a job to `state`, with progress figures and an error message where given.
    public func updateJob(
        _ id: String, state: ImportJobRecord.State, bytesDone: Int64? = nil, bytesTotal: Int64? = nil,
        releaseId: String? = nil, errorMessage: String? = nil
    ) throws(CatalogError) {
        // One statement, the fields not given kept (a batch moves each job through seven states:
        // fetching and re-encoding the whole row each time was a tenth of a batch's CPU).
        try write { db in
            try db.execute(
                sql: """
                    UPDATE import_jobs SET state = ?, bytes_done = COALESCE(?, bytes_done),
                        bytes_total = COALESCE(?, bytes_total), release_id = COALESCE(?, release_id),
                        error_message = COALESCE(?, error_message), updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [state.rawValue, bytesDone, bytesTotal, releaseId, errorMessage, Date(), id])
        }
    }

    /// Notes that the job stored one object (so a resumed job skips it), and its progress.
    public func recordStoredObject(_ object: ImportJobObjectRecord, bytesDone: Int64) throws(CatalogError) {
        try write { db in
            var row = object
            try row.insert(db, onConflict: .replace)
            try db.execute(
                sql: "UPDATE import_jobs SET bytes_done = ?, updated_at = ? WHERE id = ?",
                arguments: [bytesDone, Date(), object.jobId])
        }
    }

    public func storedObjects(ofJob id: String) throws(CatalogError) -> [ImportJobObjectRecord] {
        try read { db in try ImportJobObjectRecord.filter(Column("job_id") == id).order(Column("sequence")).fetchAll(db)
        }
    }

    /// Import jobs a crash or kill left neither committed, failed nor cancelled, oldest first
    /// (copy jobs, which `crate copy` resumes, are not among them).
    public func unfinishedJobs() throws(CatalogError) -> [ImportJobRecord] {
        try read { db in
            try ImportJobRecord.filter(sql: "state NOT IN ('committed', 'failed', 'cancelled') AND kind = 'import'")
                .order(Column("created_at")).fetchAll(db)
        }
    }

    /// Every job, newest first.
    public func jobs() throws(CatalogError) -> [ImportJobRecord] {
        try read { db in try ImportJobRecord.order(sql: "created_at DESC").fetchAll(db) }
    }
}
