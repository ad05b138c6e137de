import Foundation
import GRDB

/// A release with the names of the profiles that hold a copy.
public struct ReleaseSummary: Sendable, Hashable {
    public var release: ReleaseRecord
    public var profiles: [String]
}

/// One piece of a file's mapping on one profile: which bytes of which stored object.
public struct FilePiece: Sendable, Hashable {
    public var mapping: FileChunkRecord
    public var chunk: ChunkRecord
}

extension Catalog {
    /// Commits an imported (or copied) release in one transaction: the release and its files
    /// (unless already catalogued from another profile), the objects, the mapping and the copy
    /// record. Until this returns, nothing of the release is visible.
    ///
    /// With `refusingDuplicate`, a release of the same content already stored on the profile
    /// (another process's import of the same folder that committed first, or that added the
    /// same copy) wins: nothing is written and its id is returned. The check runs inside the writing transaction, so two
    /// concurrent imports of one folder into one profile commit once.
    @discardableResult
    public func commitRelease(_ new: NewRelease, finishingJob jobId: String? = nil, refusingDuplicate: Bool = false)
        throws(CatalogError) -> String?
    {
        try write { db in
            if refusingDuplicate,
                let existing = try String.fetchOne(
                    db,
                    sql: """
                        SELECT r.id FROM releases r JOIN release_storage s ON s.release_id = r.id
                        WHERE r.content_hash = ? AND s.profile_id = ?
                        """, arguments: [new.release.contentHash, new.profileId])
            {
                return existing
            }
            let exists = try ReleaseRecord.fetchOne(db, key: new.release.id) != nil
            var fileIds: [Int64] = []
            if exists {
                let byPath = Dictionary(
                    uniqueKeysWithValues: try FileRecord.filter(Column("release_id") == new.release.id).fetchAll(db)
                        .map { ($0.relativePath, $0.id!) })
                fileIds = new.files.map { byPath[$0.relativePath] ?? -1 }
                // A copy imported from a folder checked its audio again: the latest check counts,
                // and damage allowed once stays recorded.
                for (file, id) in zip(new.files, fileIds) where id >= 0 {
                    if let audio = file.audio {
                        try db.execute(
                            sql: """
                                UPDATE files SET audio_md5 = COALESCE(?, audio_md5), audio_result = ?,
                                audio_checked_at = ? WHERE id = ?
                                """, arguments: [audio.md5, audio.result, audio.checkedAt, id])
                    }
                }
                if new.release.allowedDamaged {
                    try db.execute(
                        sql: "UPDATE releases SET allowed_damaged = 1 WHERE id = ?", arguments: [new.release.id])
                }
            } else {
                var release = new.release
                try release.insert(db)
                // Statements prepared once per catalog: a batch commits a release every few
                // milliseconds, and encoding each row through Codable was a tenth of its CPU.
                let insertFile = try db.cachedStatement(
                    sql: """
                        INSERT INTO files (release_id, relative_path, size, sha256, media_type, audio_md5,
                        audio_result, audio_checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                let insertTrack = try db.cachedStatement(
                    sql: """
                        INSERT INTO tracks (release_id, file_id, disc_number, track_number, title, artist, duration_ms)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """)
                let insertImage = try db.cachedStatement(
                    sql: "INSERT INTO images (release_id, file_id, kind, width, height) VALUES (?, ?, ?, ?, ?)")
                for file in new.files {
                    try insertFile.execute(arguments: [
                        release.id, file.relativePath, file.size, file.sha256, file.mediaType, file.audio?.md5,
                        file.audio?.result, file.audio?.checkedAt,
                    ])
                    let fileId = db.lastInsertedRowID
                    fileIds.append(fileId)
                    if let track = file.track {
                        try insertTrack.execute(arguments: [
                            release.id, fileId, track.discNumber, track.trackNumber, track.title, track.artist,
                            track.durationMs,
                        ])
                    }
                    if let image = file.image {
                        try insertImage.execute(arguments: [
                            release.id, fileId, image.kind.rawValue, image.width, image.height,
                        ])
                    }
                }
            }
            let findChunk = try db.cachedStatement(sql: "SELECT id FROM chunks WHERE profile_id = ? AND object_key = ?")
            let insertChunk = try db.cachedStatement(
                sql: "INSERT INTO chunks (profile_id, object_key, stored_size, plaintext_size) VALUES (?, ?, ?, ?)")
            var objectIds: [Int64] = []
            for object in new.objects {
                if let existing = try Int64.fetchOne(findChunk, arguments: [new.profileId, object.objectKey]) {
                    objectIds.append(existing)
                } else {
                    try insertChunk.execute(arguments: [
                        new.profileId, object.objectKey, object.storedSize, object.plaintextSize,
                    ])
                    objectIds.append(db.lastInsertedRowID)
                }
            }
            let insertPiece = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO file_chunks (file_id, chunk_id, chunk_index, byte_offset, byte_length)
                    VALUES (?, ?, ?, ?, ?)
                    """)
            for piece in new.pieces {
                try insertPiece.execute(arguments: [
                    fileIds[piece.fileIndex], objectIds[piece.objectIndex], piece.chunkIndex, piece.byteOffset,
                    piece.byteLength,
                ])
            }
            var copy = ReleaseStorageRecord(
                releaseId: new.release.id, profileId: new.profileId, state: .stored, manifestKey: new.manifestKey)
            try copy.insert(db)
            if let jobId {
                try db.execute(
                    sql: """
                        UPDATE import_jobs SET state = 'committed', release_id = ?, bytes_done = bytes_total,
                        updated_at = ? WHERE id = ?
                        """, arguments: [new.release.id, Date(), jobId])
            }
            return nil
        }
    }

    /// Whether a release whose files add up to `totalBytes` is in the catalog: what tells an
    /// import that hashing its files to look for the same release is worth it.
    public func hasRelease(totalBytes: Int64) throws(CatalogError) -> Bool {
        try read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM releases WHERE total_bytes = ?)", arguments: [totalBytes])
                ?? false
        }
    }

    /// Whether a catalogued release of `totalBytes` holds a file of `size` bytes with `sha256`.
    public func hasRelease(totalBytes: Int64, holdingFile sha256: String, size: Int64) throws(CatalogError) -> Bool {
        try read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM files JOIN releases ON releases.id = files.release_id
                    WHERE files.sha256 = ? AND files.size = ? AND releases.total_bytes = ?)
                    """,
                arguments: [sha256, size, totalBytes]) ?? false
        }
    }

    /// Releases whose artist, title, label, catalogue number or year contain every word of
    /// `query` (case-insensitive), by artist then title.
    public func releases(matching query: String = "") throws(CatalogError) -> [ReleaseSummary] {
        try read { db in
            var request = ReleaseRecord.all()
            for word in query.split(separator: " ") where !word.isEmpty {
                let pattern = "%\(word)%"
                request = request.filter(
                    sql: """
                        (artist LIKE ? OR title LIKE ? OR IFNULL(label, '') LIKE ? OR IFNULL(catalog_number, '') LIKE ?
                        OR IFNULL(CAST(year AS TEXT), '') LIKE ?)
                        """, arguments: [pattern, pattern, pattern, pattern, pattern])
            }
            let releases = try request.order(sql: "artist COLLATE NOCASE, title COLLATE NOCASE, year").fetchAll(db)
            // Every release's profiles in one query, not one query per release.
            var profiles: [String: [String]] = [:]
            profiles.reserveCapacity(releases.count)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT s.release_id, p.name FROM release_storage s JOIN storage_profiles p ON p.id = s.profile_id
                    ORDER BY p.name
                    """)
            while let row = try rows.next() { profiles[row[0], default: []].append(row[1]) }
            return releases.map { ReleaseSummary(release: $0, profiles: profiles[$0.id] ?? []) }
        }
    }

    /// The release whose id is `idOrPrefix` or starts with it; errors for none or several.
    public func release(_ idOrPrefix: String) throws(CatalogError) -> ReleaseSummary {
        try read { db in
            let candidates = try ReleaseRecord.filter(sql: "id LIKE ? || '%'", arguments: [idOrPrefix.lowercased()])
                .limit(6).fetchAll(db)
            guard !idOrPrefix.isEmpty, let first = candidates.first else {
                throw CatalogError.unknownRelease(idOrPrefix)
            }
            if candidates.count > 1, candidates.first(where: { $0.id == idOrPrefix }) == nil {
                throw CatalogError.ambiguousRelease(
                    idOrPrefix, candidates: candidates.map { "\($0.id.prefix(12)) \($0.artist) - \($0.title)" })
            }
            return ReleaseSummary(release: first, profiles: try Self.copyProfileNames(first.id, db))
        }
    }

    /// A catalogued release with identical content (on any profile), with its copies' profiles.
    public func release(contentHash: String) throws(CatalogError) -> ReleaseSummary? {
        try read { db in
            guard let release = try ReleaseRecord.filter(Column("content_hash") == contentHash).fetchOne(db) else {
                return nil
            }
            return ReleaseSummary(release: release, profiles: try Self.copyProfileNames(release.id, db))
        }
    }

    /// A release with identical content already stored on this profile, if any.
    public func storedRelease(contentHash: String, profileId: Int64) throws(CatalogError) -> ReleaseRecord? {
        try read { db in
            try ReleaseRecord.fetchOne(
                db,
                sql: """
                    SELECT r.* FROM releases r JOIN release_storage s ON s.release_id = r.id
                    WHERE r.content_hash = ? AND s.profile_id = ?
                    """, arguments: [contentHash, profileId])
        }
    }

    public func files(ofRelease id: String) throws(CatalogError) -> [FileRecord] {
        try read { db in try FileRecord.filter(Column("release_id") == id).order(Column("relative_path")).fetchAll(db) }
    }

    public func tracks(ofRelease id: String) throws(CatalogError) -> [TrackRecord] {
        try read { db in
            try TrackRecord.filter(Column("release_id") == id).order(sql: "disc_number, track_number, id").fetchAll(db)
        }
    }

    public func images(ofRelease id: String) throws(CatalogError) -> [ImageRecord] {
        try read { db in try ImageRecord.filter(Column("release_id") == id).fetchAll(db) }
    }

    /// The profiles holding a copy of the release, with the copy records.
    public func copies(ofRelease id: String) throws(CatalogError) -> [(ReleaseStorageRecord, StorageProfileRecord)] {
        try read { db in
            let copies = try ReleaseStorageRecord.filter(Column("release_id") == id).fetchAll(db)
            return try copies.compactMap { copy in
                try StorageProfileRecord.fetchOne(db, key: copy.profileId).map { (copy, $0) }
            }
        }
    }

    /// A file's pieces on one profile, in file order: the only source of offsets for reads.
    public func pieces(ofFile fileId: Int64, onProfile profileId: Int64) throws(CatalogError) -> [FilePiece] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT fc.file_id, fc.chunk_id, fc.chunk_index, fc.byte_offset, fc.byte_length,
                           c.id, c.profile_id, c.object_key, c.stored_size, c.plaintext_size
                    FROM file_chunks fc JOIN chunks c ON c.id = fc.chunk_id
                    WHERE fc.file_id = ? AND c.profile_id = ? ORDER BY fc.chunk_index
                    """, arguments: [fileId, profileId])
            return rows.map { row in
                var chunk = ChunkRecord(
                    profileId: row[6], objectKey: row[7], storedSize: row[8], plaintextSize: row[9])
                chunk.id = row[5]
                return FilePiece(
                    mapping: FileChunkRecord(
                        fileId: row[0], chunkId: row[1], chunkIndex: row[2], byteOffset: row[3], byteLength: row[4]),
                    chunk: chunk)
            }
        }
    }

    static func copyProfileNames(_ releaseId: String, _ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT p.name FROM release_storage s JOIN storage_profiles p ON p.id = s.profile_id
                WHERE s.release_id = ? ORDER BY p.name
                """, arguments: [releaseId])
    }
}

extension Catalog {
    /// Which of `keys` a committed release on the profile still uses (chunks are shared).
    public func referencedObjectKeys(profileId: Int64, among keys: [String]) throws(CatalogError) -> Set<String> {
        try read { db in
            var found: Set<String> = []
            for key in keys
            where try ChunkRecord.filter(Column("profile_id") == profileId && Column("object_key") == key).fetchCount(
                db)
                > 0
            {
                found.insert(key)
            }
            return found
        }
    }
}
