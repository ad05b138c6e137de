import Foundation
import GRDB

/// The catalog: owns the SQLite database (through GRDB) and its migrator. The only type in
/// Crate that holds a database connection; other modules call its methods.
///
/// File catalogs use WAL mode and foreign keys; the file is created with mode 0600 (SQLite
/// gives its WAL and shared-memory files the same mode).
public final class Catalog: Sendable {
    let writer: any DatabaseWriter
    /// The file's path as the user knows it (a read-only catalog is opened through a URI).
    let path: String

    init(writer: any DatabaseWriter, path: String? = nil, readOnly: Bool = false) throws(CatalogError) {
        self.writer = writer
        self.path = path ?? writer.path
        let path = self.path
        do {
            // A catalog a newer Crate migrated further is refused before anything reads or
            // writes it (GRDB would otherwise open it and fail later, after an upload).
            let migrator = CatalogMigrations.migrator
            let unknown = try writer.read { db in
                try migrator.hasBeenSuperseded(db)
                    ? try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted() : []
            }
            if !unknown.isEmpty {
                throw CatalogError.newerSchema(path: path, found: unknown, known: migrator.migrations.last ?? "")
            }
            if readOnly {
                guard try writer.read({ db in try migrator.hasCompletedMigrations(db) }) else {
                    throw CatalogError.cannotOpen(
                        path: path,
                        reason: "it needs an upgrade by this Crate but is read-only here; run any command once "
                            + "where the catalog's folder is writable")
                }
            } else {
                try migrator.migrate(writer)
            }
        } catch {
            throw CatalogError(error, path: path)
        }
    }

    /// Opens (creating if needed) the catalog file at `path`. With `readOnly` (commands that
    /// only read), a catalog this process may not write — a read-only home, a catalog on
    /// read-only media — is opened read-only instead of failing.
    public static func open(path: String, readOnly: Bool = false) throws(CatalogError) -> Catalog {
        let directory = (path as NSString).deletingLastPathComponent
        if readOnly, FileManager.default.fileExists(atPath: path),
            access(path, W_OK) != 0 || access(directory, W_OK) != 0
        {
            return try openReadOnly(path: path)
        }
        return try openForWriting(path: path)
    }

    /// A catalog opened for reading only, as SQLite's `immutable` URI: without write access to
    /// the folder SQLite cannot make the WAL's shared-memory file, and nothing here can write
    /// the catalog meanwhile (a writer would need the same folder).
    private static func openReadOnly(path: String) throws(CatalogError) -> Catalog {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.foreignKeysEnabled = true
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        do {
            let queue = try DatabaseQueue(path: "file:" + encoded + "?immutable=1", configuration: configuration)
            return try Catalog(writer: queue, path: path, readOnly: true)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError(error, path: path)
        }
    }

    private static func openForWriting(path: String) throws(CatalogError) -> Catalog {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotOpen(path: path, reason: "cannot create \(directory): \(error.localizedDescription)")
        }
        let fd = Foundation.open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            var reason = String(cString: strerror(code))
            if code == EACCES || code == EROFS {
                reason +=
                    "; this command changes the catalog and needs write access to it (commands that "
                    + "only read — releases, show, cat, export, verify, profile list/show — work without)"
            }
            throw .cannotOpen(path: path, reason: reason)
        }
        close(fd)

        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        // WAL with synchronous=NORMAL: a commit is safe from any crash of the process, and the
        // WAL is synced at checkpoints instead of at every commit (an import commits once per
        // stage and per stored object; at FULL those syncs were most of what a small release
        // cost). A power loss can forget the last commits, never corrupt the file; nothing in
        // the store depends on them (docs/decisions.md, "The catalog's commits and power loss").
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
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
        path == ":memory:" ? nil : path
    }

    /// Names of the migrations applied to this catalog, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try CatalogMigrations.migrator.appliedMigrations(db) }
    }

    /// A number that changes whenever another connection — another `crate` process, a
    /// second catalog object — has committed to the catalog (SQLite's `data_version` of this
    /// catalog's writing connection; its own commits leave it alone). The terminal UI polls it
    /// to notice imports and removals made from the command line.
    public func changesByOthers() throws(CatalogError) -> Int {
        do {
            return try writer.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0
            }
        } catch {
            throw CatalogError(error, path: path)
        }
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
        do { return try writer.read(body) } catch { throw CatalogError(error, path: path) }
    }

    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(CatalogError) -> T {
        do { return try writer.write(body) } catch { throw CatalogError(error, path: path) }
    }
}
