import Foundation
import GRDB
import Testing

@testable import CrateCatalog

@Suite struct CatalogMigrationTests {
    static let tables = [
        "storage_profiles", "release_storage", "releases", "tracks", "files", "images", "chunks", "file_chunks",
        "import_jobs", "import_job_objects",
    ]

    @Test func migratesAnInMemoryCatalog() throws {
        let catalog = try Catalog.inMemory()
        #expect(
            try catalog.appliedMigrations() == [
                "v1-schema", "v2-job-kind", "v3-s3-ca-bundle", "v4-job-follow-links", "v5-job-object-sha256",
                "v6-audio-checks", "v7-duplicate-lookup",
            ])
        let names = try catalog.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for table in Self.tables { #expect(names.contains(table), "missing table \(table)") }
        let foreignKeys = try catalog.writer.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(foreignKeys == true)
    }

    @Test func migratesAFileCatalogInWALModeWithPrivatePermissions() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/nested/catalog.sqlite"
        do {
            let catalog = try Catalog.open(path: path)
            #expect(try catalog.journalMode() == "wal")
            #expect(try catalog.integrityCheck() == "ok")
            try catalog.addProfile(
                .init(name: "a", location: .local(path: directory.path), encrypted: false, chunked: false))
        }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Reopening applies no migration twice and keeps the data.
        let reopened = try Catalog.open(path: path)
        #expect(
            try reopened.appliedMigrations() == [
                "v1-schema", "v2-job-kind", "v3-s3-ca-bundle", "v4-job-follow-links", "v5-job-object-sha256",
                "v6-audio-checks", "v7-duplicate-lookup",
            ])
        #expect(try reopened.profiles().map(\.name) == ["a"])
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/catalog.sqlite"
        let junk = Data(repeating: 0x41, count: 8192)
        try junk.write(to: URL(fileURLWithPath: path))
        #expect(throws: CatalogError.notADatabase(path: path)) { _ = try Catalog.open(path: path) }
        // Nothing was written over the user's file.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == junk)
        #expect(CatalogError.notADatabase(path: path).description.contains("not a Crate database"))
    }

    @Test func refusesACatalogFromANewerCrateBeforeUsingIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/catalog.sqlite"
        do {
            let catalog = try Catalog.open(path: path)
            try catalog.writer.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
            }
        }
        let error = #expect(throws: CatalogError.self) { _ = try Catalog.open(path: path) }
        #expect(error == .newerSchema(path: path, found: ["v9-from-the-future"], known: "v7-duplicate-lookup"))
        #expect(error?.description.contains("v9-from-the-future") == true)
        #expect(error?.description.contains("up to v7-duplicate-lookup") == true)
        let applied = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(
            applied == [
                "v1-schema", "v2-job-kind", "v3-s3-ca-bundle", "v4-job-follow-links", "v5-job-object-sha256",
                "v6-audio-checks", "v7-duplicate-lookup", "v9-from-the-future",
            ])
    }

    /// Another catalog object on the same file (another process) committing changes the
    /// counter the terminal UI polls; this catalog's own writes do not.
    @Test func changesByOthersAreNoticed() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/catalog.sqlite"
        let ui = try Catalog.open(path: path)
        let cli = try Catalog.open(path: path)
        let before = try ui.changesByOthers()
        try ui.addProfile(.init(name: "mine", location: .local(path: "/tmp/a"), encrypted: false, chunked: false))
        #expect(try ui.changesByOthers() == before)
        try cli.addProfile(.init(name: "theirs", location: .local(path: "/tmp/b"), encrypted: false, chunked: false))
        let after = try ui.changesByOthers()
        #expect(after != before)
        #expect(try ui.changesByOthers() == after)
    }

    @Test func theDatabaseAllowsAtMostOneDefaultProfile() throws {
        let catalog = try Catalog.inMemory()
        let now = Date()
        #expect(throws: (any Error).self) {
            try catalog.writer.write { db in
                for name in ["a", "b"] {
                    var record = StorageProfileRecord(
                        spec: .init(name: name, location: .local(path: "/tmp"), encrypted: false, chunked: false),
                        isDefault: true, now: now)
                    try record.insert(db)
                }
            }
        }
    }
}

/// A folder under the system's temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "crate-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
