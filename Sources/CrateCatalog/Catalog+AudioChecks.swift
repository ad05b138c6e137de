import Foundation
import GRDB

extension Catalog {
    /// Records a check of a file's audio (`crate verify --audio`). The MD5 is kept when the
    /// check found none (a damaged stream read before its STREAMINFO): the import's reading of
    /// the source is what later copies are compared with.
    public func recordAudioCheck(fileId: Int64, _ check: AudioCheckRecord) throws(CatalogError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE files SET audio_md5 = COALESCE(?, audio_md5), audio_result = ?, audio_checked_at = ?
                    WHERE id = ?
                    """, arguments: [check.md5, check.result, check.checkedAt, fileId])
        }
    }

    /// Records what `crate verify` found on a release copy ("ok", or its problems in short).
    public func recordVerification(
        releaseId: String, profileId: Int64, result: String, at date: Date = Date()
    ) throws(CatalogError) {
        try write { db in
            try db.execute(
                sql:
                    "UPDATE release_storage SET verified_at = ?, verify_result = ? WHERE release_id = ? AND profile_id = ?",
                arguments: [date, result, releaseId, profileId])
        }
    }

    /// Every stored release copy (on `profileId` only, when given), least recently verified
    /// first and never-verified copies before all; ties by release id, so a choice is stable.
    public func copiesByVerification(profileId: Int64? = nil) throws(CatalogError) -> [CopyVerificationState] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.release_id, s.profile_id, p.name, r.total_bytes, s.verified_at, s.verify_result
                    FROM release_storage s JOIN releases r ON r.id = s.release_id
                    JOIN storage_profiles p ON p.id = s.profile_id
                    WHERE s.state = 'stored' AND (? IS NULL OR s.profile_id = ?)
                    ORDER BY s.verified_at IS NOT NULL, s.verified_at, s.release_id, p.name
                    """, arguments: [profileId, profileId])
            return rows.map { row in
                CopyVerificationState(
                    releaseId: row[0], profileId: row[1], profileName: row[2], totalBytes: row[3], verifiedAt: row[4],
                    verifyResult: row[5])
            }
        }
    }
}
