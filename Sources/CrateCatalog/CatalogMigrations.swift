import GRDB

/// The catalog's schema, as a list of migrations. A migration is never edited once it has
/// shipped: changes are new migrations appended below (STYLE.md, "Catalog").
enum CatalogMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-schema", migrate: createSchemaV1)
        migrator.registerMigration("v2-job-kind", migrate: addJobKind)
        migrator.registerMigration("v3-s3-ca-bundle", migrate: addCABundle)
        migrator.registerMigration("v4-job-follow-links", migrate: addFollowLinks)
        migrator.registerMigration("v5-job-object-sha256", migrate: addJobObjectHash)
        migrator.registerMigration("v6-audio-checks", migrate: addAudioChecks)
        migrator.registerMigration("v7-duplicate-lookup", migrate: addDuplicateLookup)
        return migrator
    }

    /// An import's preflight asks whether a catalogued release has its total size and then one
    /// of its files (by SHA-256): indexed, so the question stays cheap in a large catalog.
    private static func addDuplicateLookup(_ db: Database) throws {
        try db.create(index: "releases_on_total_bytes", on: "releases", columns: ["total_bytes"])
        try db.create(index: "files_on_sha256", on: "files", columns: ["sha256"])
    }

    /// Audio checks (issue #20): each file keeps STREAMINFO's MD5 and its last check, so a later
    /// `crate verify --audio` can tell a stored copy that decodes to other audio; a release
    /// records that it was imported with damage allowed (and a job that it may be, so a resumed
    /// job keeps the choice); each copy keeps when `crate verify` last read it and what it found,
    /// which `--sample` orders by.
    private static func addAudioChecks(_ db: Database) throws {
        try db.alter(table: "files") { t in
            t.add(column: "audio_md5", .text)
            t.add(column: "audio_checked_at", .datetime)
            t.add(column: "audio_result", .text)
        }
        try db.alter(table: "releases") { t in
            t.add(column: "allowed_damaged", .boolean).notNull().defaults(to: false)
        }
        try db.alter(table: "release_storage") { t in
            t.add(column: "verified_at", .datetime)
            t.add(column: "verify_result", .text)
        }
        try db.alter(table: "import_jobs") { t in
            t.add(column: "allow_damaged", .boolean).notNull().defaults(to: false)
        }
    }

    /// A whole file a job stored is recorded with the SHA-256 of its content, so that a resumed
    /// job keeps the object only when the file still has those bytes (chunks are named by
    /// their content and need no such record).
    private static func addJobObjectHash(_ db: Database) throws {
        try db.alter(table: "import_job_objects") { t in
            t.add(column: "sha256", .text)
        }
    }

    /// An import may be told to store what symbolic links outside the release folder point to
    /// (`--follow-symlinks`); a resumed job must scan the same way.
    private static func addFollowLinks(_ db: Database) throws {
        try db.alter(table: "import_jobs") { t in
            t.add(column: "follow_links_outside", .boolean).notNull().defaults(to: false)
        }
    }

    /// An S3 profile may name a PEM file of certificate authorities to trust (a private CA):
    /// its path only, never key material.
    private static func addCABundle(_ db: Database) throws {
        try db.alter(table: "storage_profiles") { t in
            t.add(column: "s3_ca_bundle", .text)
        }
    }

    /// Copies between profiles run as jobs too (so they resume and `crate gc` spares their
    /// objects), but `crate import --resume` must not pick them up: jobs get a kind.
    private static func addJobKind(_ db: Database) throws {
        try db.alter(table: "import_jobs") { t in
            t.add(column: "kind", .text).notNull().defaults(to: "import")
        }
    }

    // swiftlint:disable:next function_body_length
    private static func createSchemaV1(_ db: Database) throws {
        try db.create(table: "storage_profiles") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("name", .text).notNull().unique(onConflict: .abort)
            t.column("location_kind", .text).notNull().check { ["local", "s3"].contains($0) }
            t.column("local_path", .text)
            t.column("s3_endpoint", .text)
            t.column("s3_region", .text)
            t.column("s3_bucket", .text)
            t.column("s3_prefix", .text)
            t.column("s3_addressing", .text)
            t.column("s3_credentials_profile", .text)
            t.column("encrypted", .boolean).notNull()
            t.column("chunked", .boolean).notNull()
            t.column("chunk_size", .integer)
            t.column("is_default", .boolean).notNull().defaults(to: false)
            // The data key, wrapped under the passphrase (JSON: KDF parameters, salt, nonce,
            // ciphertext). Never the key itself.
            t.column("key_id", .text)
            t.column("wrapped_key", .text)
            t.column("created_at", .datetime).notNull()
            t.column("updated_at", .datetime).notNull()
            t.check(sql: "location_kind <> 'local' OR local_path IS NOT NULL")
            t.check(sql: "location_kind <> 's3' OR (s3_endpoint IS NOT NULL AND s3_bucket IS NOT NULL)")
            t.check(sql: "chunked OR chunk_size IS NULL")
        }
        // At most one default profile, enforced by the database itself.
        try db.execute(
            sql: "CREATE UNIQUE INDEX storage_profiles_one_default ON storage_profiles(is_default) WHERE is_default")

        try db.create(table: "releases") { t in
            t.primaryKey("id", .text)
            t.column("artist", .text).notNull()
            t.column("title", .text).notNull()
            t.column("year", .integer)
            t.column("label", .text)
            t.column("catalog_number", .text)
            t.column("folder_name", .text).notNull()
            t.column("source_path", .text)
            // SHA-256 over the sorted (path, file hash) list: finds identical releases.
            t.column("content_hash", .text).notNull().indexed()
            t.column("total_bytes", .integer).notNull()
            t.column("created_at", .datetime).notNull()
        }

        try db.create(table: "files") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("release_id", .text).notNull().indexed().references("releases", onDelete: .cascade)
            t.column("relative_path", .text).notNull()
            t.column("size", .integer).notNull()
            t.column("sha256", .text).notNull()
            t.column("media_type", .text).notNull()
            t.uniqueKey(["release_id", "relative_path"])
        }

        try db.create(table: "tracks") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("release_id", .text).notNull().indexed().references("releases", onDelete: .cascade)
            t.column("file_id", .integer).notNull().indexed().references("files", onDelete: .cascade)
            t.column("disc_number", .integer)
            t.column("track_number", .integer)
            t.column("title", .text)
            t.column("artist", .text)
            t.column("duration_ms", .integer)
        }

        try db.create(table: "images") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("release_id", .text).notNull().indexed().references("releases", onDelete: .cascade)
            t.column("file_id", .integer).notNull().indexed().references("files", onDelete: .cascade)
            t.column("kind", .text).notNull()
            t.column("width", .integer)
            t.column("height", .integer)
        }

        try db.create(table: "release_storage") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("release_id", .text).notNull().indexed().references("releases", onDelete: .cascade)
            // RESTRICT: a profile cannot vanish under a stored copy.
            t.column("profile_id", .integer).notNull().indexed().references("storage_profiles", onDelete: .restrict)
            t.column("state", .text).notNull()
            t.column("manifest_key", .text).notNull()
            t.column("created_at", .datetime).notNull()
            t.column("updated_at", .datetime).notNull()
            t.uniqueKey(["release_id", "profile_id"])
        }

        // One stored object of a profile: a chunk of a chunked release, or a whole file.
        try db.create(table: "chunks") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("profile_id", .integer).notNull().indexed().references("storage_profiles", onDelete: .restrict)
            t.column("object_key", .text).notNull()
            t.column("stored_size", .integer).notNull()
            t.column("plaintext_size", .integer).notNull()
            t.uniqueKey(["profile_id", "object_key"])
        }

        try db.create(table: "file_chunks") { t in
            t.column("file_id", .integer).notNull().indexed().references("files", onDelete: .cascade)
            t.column("chunk_id", .integer).notNull().indexed().references("chunks", onDelete: .restrict)
            t.column("chunk_index", .integer).notNull()
            t.column("byte_offset", .integer).notNull()
            t.column("byte_length", .integer).notNull()
            t.primaryKey(["file_id", "chunk_id", "chunk_index"])
        }

        try db.create(table: "import_jobs") { t in
            t.primaryKey("id", .text)
            t.column("source_path", .text).notNull()
            t.column("profile_id", .integer).notNull().indexed().references("storage_profiles", onDelete: .restrict)
            t.column("state", .text).notNull()
            t.column("release_id", .text)
            t.column("bytes_total", .integer).notNull().defaults(to: 0)
            t.column("bytes_done", .integer).notNull().defaults(to: 0)
            t.column("error_message", .text)
            t.column("created_at", .datetime).notNull()
            t.column("updated_at", .datetime).notNull()
        }

        // Per-job progress: each object the job has stored, so a resumed job skips it.
        try db.create(table: "import_job_objects") { t in
            t.column("job_id", .text).notNull().indexed().references("import_jobs", onDelete: .cascade)
            t.column("sequence", .integer).notNull()
            t.column("object_key", .text).notNull()
            t.column("state", .text).notNull()
            t.column("stored_size", .integer).notNull()
            t.column("plaintext_size", .integer).notNull()
            t.column("updated_at", .datetime).notNull()
            t.primaryKey(["job_id", "sequence"])
        }
    }
}
