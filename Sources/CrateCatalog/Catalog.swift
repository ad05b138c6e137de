import Foundation
import GRDB

/// The catalog: owns the SQLite database (through GRDB) and its migrator. The only type in
/// Crate that holds a database connection; other modules call its methods.
///
/// File catalogs use WAL mode and foreign keys; the file is created with mode 0600 (SQLite
/// gives its WAL and shared-memory files the same mode).
public final class Catalog: Sendable {
    let writer: any DatabaseWriter

    init(writer: any DatabaseWriter) throws(CatalogError) {
        self.writer = writer
        do {
            // A catalog a newer Crate migrated further is refused before anything reads or
            // writes it (GRDB would otherwise open it and fail later, after an upload).
            let migrator = CatalogMigrations.migrator
            let unknown = try writer.read { db in
                try migrator.hasBeenSuperseded(db)
                    ? try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted() : []
            }
            if !unknown.isEmpty {
                throw CatalogError.newerSchema(path: writer.path, found: unknown, known: migrator.migrations.last ?? "")
            }
            try migrator.migrate(writer)
        } catch {
            throw CatalogError(error, path: writer.path)
        }
    }

    /// Opens (creating if needed) the catalog file at `path`.
    public static func open(path: String) throws(CatalogError) -> Catalog {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotOpen(path: path, reason: "cannot create \(directory): \(error.localizedDescription)")
        }
        let fd = Foundation.open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        close(fd)

        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            return try Catalog(writer: pool)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError(error, path: path)
        }
    }

    /// An empty in-memory catalog, for tests.
    public static func inMemory() throws(CatalogError) -> Catalog {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        do {
            return try Catalog(writer: DatabaseQueue(configuration: configuration))
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError(error, path: ":memory:")
        }
    }

    /// The database file's path; `nil` for an in-memory catalog.
    public var filePath: String? {
        writer.path == ":memory:" ? nil : writer.path
    }

    /// Names of the migrations applied to this catalog, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try CatalogMigrations.migrator.appliedMigrations(db) }
    }

    /// Runs SQLite's own consistency check; returns its verdict ("ok" when sound).
    public func integrityCheck() throws -> String {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }

    /// The journal mode in use ("wal" for file catalogs).
    public func journalMode() throws -> String {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(CatalogError) -> T {
        do { return try writer.read(body) } catch { throw CatalogError(error, path: writer.path) }
    }

    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(CatalogError) -> T {
        do { return try writer.write(body) } catch { throw CatalogError(error, path: writer.path) }
    }
}
