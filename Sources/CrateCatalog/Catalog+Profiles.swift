import CrateCore
import Foundation
import GRDB

extension Catalog {
    /// Adds a profile after validating it; the name must be new. `makeDefault` marks it as the
    /// default (and unmarks any other); the first profile ever added becomes default too.
    @discardableResult
    public func addProfile(
        _ spec: ProfileSpec, makeDefault: Bool = false, keyId: String? = nil, wrappedKey: String? = nil
    ) throws(CatalogError) -> StorageProfileRecord {
        do { try spec.validate() } catch { throw .invalidProfile(error) }
        return try write { db in
            if try StorageProfileRecord.filter(StorageProfileRecord.Columns.name == spec.name).fetchCount(db) > 0 {
                throw CatalogError.invalidProfile(.duplicateName(spec.name))
            }
            let isFirst = try StorageProfileRecord.fetchCount(db) == 0
            if makeDefault { try Self.clearDefault(db) }
            var record = StorageProfileRecord(spec: spec, isDefault: makeDefault || isFirst)
            record.keyId = keyId
            record.wrappedKey = wrappedKey
            try record.insert(db)
            return record
        }
    }

    /// Every profile, by name.
    public func profiles() throws(CatalogError) -> [StorageProfileRecord] {
        try read { db in try StorageProfileRecord.order(StorageProfileRecord.Columns.name).fetchAll(db) }
    }

    /// The profile with this name, or `unknownProfile` listing the names that exist.
    public func profile(named name: String) throws(CatalogError) -> StorageProfileRecord {
        try read { db in try Self.profile(named: name, in: db) }
    }

    /// The profile with this row id; `nil` when it was removed.
    public func profile(id: Int64) throws(CatalogError) -> StorageProfileRecord? {
        try read { db in try StorageProfileRecord.fetchOne(db, key: id) }
    }

    /// The default profile, if one is marked.
    public func defaultProfile() throws(CatalogError) -> StorageProfileRecord? {
        try read { db in try StorageProfileRecord.filter(StorageProfileRecord.Columns.isDefault).fetchOne(db) }
    }

    /// Replaces a profile's spec. Location and name may change freely; encryption, chunking and
    /// chunk size only while no release copy uses the profile.
    @discardableResult
    public func updateProfile(named name: String, to spec: ProfileSpec) throws(CatalogError) -> StorageProfileRecord {
        do { try spec.validate() } catch { throw .invalidProfile(error) }
        return try write { db in
            var record = try Self.profile(named: name, in: db)
            if spec.name != name,
                try StorageProfileRecord.filter(StorageProfileRecord.Columns.name == spec.name).fetchCount(db) > 0
            {
                throw CatalogError.invalidProfile(.duplicateName(spec.name))
            }
            let old = record.spec
            let layoutChanged =
                old.encrypted != spec.encrypted || old.chunked != spec.chunked || old.chunkSize != spec.chunkSize
            if layoutChanged {
                let copies = try ReleaseStorageRecord.filter(Column("profile_id") == record.id).fetchCount(db)
                if copies > 0 { throw CatalogError.layoutChangeRefused(name, releaseCount: copies) }
            }
            record.update(from: spec)
            try record.update(db)
            return record
        }
    }

    /// Records the wrapped data key of an encrypted profile.
    public func setWrappedKey(profile name: String, keyId: String, wrappedKey: String) throws(CatalogError) {
        try write { db in
            var record = try Self.profile(named: name, in: db)
            record.keyId = keyId
            record.wrappedKey = wrappedKey
            record.updatedAt = Date()
            try record.update(db)
        }
    }

    /// Removes a profile; refused while any release copy uses it, naming those releases.
    public func removeProfile(named name: String) throws(CatalogError) {
        try write { db in
            let record = try Self.profile(named: name, in: db)
            let releases = try String.fetchAll(
                db,
                sql: """
                    SELECT r.artist || ' - ' || r.title || ' [' || substr(r.id, 1, 8) || ']'
                    FROM release_storage s JOIN releases r ON r.id = s.release_id
                    WHERE s.profile_id = ? ORDER BY r.artist, r.title
                    """, arguments: [record.id])
            if !releases.isEmpty { throw CatalogError.profileInUse(name, releases: releases) }
            try db.execute(sql: "DELETE FROM import_jobs WHERE profile_id = ?", arguments: [record.id])
            try db.execute(sql: "DELETE FROM chunks WHERE profile_id = ?", arguments: [record.id])
            _ = try record.delete(db)
        }
    }

    /// Marks this profile as the default and unmarks any other.
    public func setDefaultProfile(named name: String) throws(CatalogError) {
        try write { db in
            var record = try Self.profile(named: name, in: db)
            try Self.clearDefault(db)
            record.isDefault = true
            record.updatedAt = Date()
            try record.update(db)
        }
    }

    /// Number of release copies and their stored bytes per profile id.
    public func profileUsage() throws(CatalogError) -> [Int64: (releases: Int, bytes: Int64)] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.profile_id AS id, COUNT(*) AS releases, COALESCE(SUM(r.total_bytes), 0) AS bytes
                    FROM release_storage s JOIN releases r ON r.id = s.release_id GROUP BY s.profile_id
                    """)
            var usage: [Int64: (releases: Int, bytes: Int64)] = [:]
            for row in rows { usage[row["id"]] = (row["releases"], row["bytes"]) }
            return usage
        }
    }

    static func profile(named name: String, in db: Database) throws -> StorageProfileRecord {
        if let record = try StorageProfileRecord.filter(StorageProfileRecord.Columns.name == name).fetchOne(db) {
            return record
        }
        let known = try String.fetchAll(db, sql: "SELECT name FROM storage_profiles ORDER BY name")
        throw CatalogError.unknownProfile(name, known: known)
    }

    static func clearDefault(_ db: Database) throws {
        try db.execute(sql: "UPDATE storage_profiles SET is_default = 0 WHERE is_default")
    }
}

extension Catalog {
    /// Leaves no profile marked default (imports then need `--profile`).
    public func clearDefaultProfile() throws(CatalogError) {
        try write { db in try Self.clearDefault(db) }
    }
}
