import Foundation

/// An `ObjectStore` in a folder on this machine: the key `a/b/c` is the file `ROOT/a/b/c`.
///
/// Puts are atomic and durable: the bytes go to a temporary file in the object's own folder,
/// which is fsync'ed, renamed over the final name, and the folder fsync'ed; so the final name
/// only ever holds a whole object, even after a crash. Temporary files start with
/// `.crate-tmp-`; keys whose last segment does too are refused, and listings skip them.
///
/// Files are created mode 0600 and folders 0700: a profile holds a wrapped key and, for plain
/// profiles, a private music archive; its owner reads it, nobody else (chmod to share).
public struct LocalDirectoryStore: ObjectStore {
    /// The folder, as an absolute path without a trailing slash.
    public let root: String

    static let temporaryPrefix = ".crate-tmp-"
    static let pieceSize = 1 << 20

    public init(root: String) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    /// The folders from the root down to the one holding `key` (created when `create` is set),
    /// and the key's last name; `nil` when a folder is missing and `create` is not. No step
    /// follows a symbolic link (`FolderHandle`): a link or special file on the way throws
    /// `unexpectedEntry` naming the key.
    func locate(_ key: String, create: Bool) throws(StorageError) -> (folders: [FolderHandle], name: String)? {
        try ObjectKey.validate(key)
        let names = key.split(separator: "/")
        let last = String(names.last ?? "")
        guard !last.hasPrefix(Self.temporaryPrefix) else { throw .invalidKey(key) }
        do {
            guard var folder = try FolderHandle.open(root, create: create) else { return nil }
            var folders = [folder]
            for name in names.dropLast() {
                guard let next = try folder.descend([name], create: create) else { return nil }
                folders.append(next)
                folder = next
            }
            return (folders, last)
        } catch {
            throw error.naming(key: key)
        }
    }

    public func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        var target: (folder: FolderHandle, name: String)?
        var temporary: (fd: Int32, name: String) = (-1, "")
        // A concurrent delete may remove the folder between its creation and the create (it
        // tidies empty folders): walk down again and retry a few times.
        for _ in 1...3 {
            guard let located = try locate(key, create: true), let folder = located.folders.last else { continue }
            if let created = try folder.createUniqueFile(prefix: Self.temporaryPrefix, mode: 0o600) {
                temporary = created
                target = (folder, located.name)
                break
            }
        }
        guard let target else { throw StorageError.io(operation: "create", path: root + "/" + key, errno: ENOENT) }
        let temporaryPath = target.folder.path + "/" + temporary.name
        do {
            while true {
                let piece = try await body.read(upTo: Self.pieceSize)
                if piece.isEmpty { break }
                try FolderHandle.writeAll(temporary.fd, piece, path: temporaryPath)
                ObjectPut.meter?.add(piece.count)
            }
        } catch {
            close(temporary.fd)
            _ = try? target.folder.remove(temporary.name)
            throw error
        }
        try await BlockingIO.run { [temporary] in
            // A link at the final name is replaced, never followed.
            try target.folder.commitTemporary(fd: temporary.fd, temporary.name, as: target.name, replacing: true)
        }
    }

    public func get(_ key: String, range: Range<Int64>?) async throws -> any ByteReader {
        guard let (folders, name) = try locate(key, create: false), let folder = folders.last else {
            throw StorageError.notFound(key: key)
        }
        let opened: (fd: Int32, size: Int64)?
        do { opened = try folder.openFile(name) } catch { throw error.naming(key: key) }
        guard let (fd, size) = opened else { throw StorageError.notFound(key: key) }
        var lower: Int64 = 0
        var upper = size
        if let range {
            guard range.lowerBound <= size else {
                close(fd)
                throw StorageError.invalidRange(key: key, range: range, size: size)
            }
            lower = range.lowerBound
            upper = min(range.upperBound, size)
        }
        return FileRangeReader(fd: fd, path: folder.path + "/" + name, offset: lower, end: upper)
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        guard let (folders, name) = try locate(key, create: false), let folder = folders.last,
            let entry = try folder.entry(name)
        else { return nil }
        if entry.type == S_IFDIR { return nil }
        if let kind = FolderHandle.describe(entry.type) {
            throw StorageError.unexpectedEntry(path: folder.path + "/" + name, kind: kind, key: key)
        }
        return ObjectInfo(key: key, size: entry.size)
    }

    /// Removes the object's file (a folder of that name is not an object: nothing to do). A link
    /// or special file under the key is refused rather than removed: it is not something Crate
    /// wrote, and whoever put it there should see it.
    public func delete(_ key: String) async throws {
        guard let (folders, name) = try locate(key, create: false), let folder = folders.last,
            let entry = try folder.entry(name)
        else { return }
        if entry.type == S_IFDIR { return }
        if let kind = FolderHandle.describe(entry.type) {
            throw StorageError.unexpectedEntry(path: folder.path + "/" + name, kind: kind, key: key)
        }
        try folder.remove(name)
        // Tidy empty folders up to the root so a plain profile stays browsable; a folder that
        // is not empty (or another error) simply stops the walk.
        let names = key.split(separator: "/").dropLast()
        for (parent, child) in zip(folders.dropLast().reversed(), names.reversed()) {
            guard parent.removeEmptyFolder(String(child)) else { break }
        }
    }

    public func list(prefix: String) async throws -> [ObjectInfo] {
        // Start at the deepest folder the prefix names, so listing `objects/ab/` stays small.
        var start = ""
        if let slash = prefix.lastIndex(of: "/") { start = String(prefix[..<slash]) }
        guard let rootFolder = try FolderHandle.open(root, create: false),
            let folder = try rootFolder.descend(start.split(separator: "/"), create: false)
        else { return [] }
        var result: [ObjectInfo] = []
        try walk(folder, relative: start, prefix: prefix, into: &result)
        return result.sorted { ObjectKey.precedes($0.key, $1.key) }
    }

    /// Collects the regular files below `folder` whose keys start with `prefix`. Links and
    /// special files are not objects and are passed over (reads of such a key say what it is).
    private func walk(_ folder: FolderHandle, relative: String, prefix: String, into result: inout [ObjectInfo])
        throws
    {
        for entry in try folder.entries() where !entry.name.hasPrefix(Self.temporaryPrefix) {
            let key = relative.isEmpty ? entry.name : relative + "/" + entry.name
            switch entry.type {
            case S_IFDIR:
                if prefix.hasPrefix(key + "/") || (key + "/").hasPrefix(prefix) || key.hasPrefix(prefix),
                    let child = try folder.descend([Substring(entry.name)], create: false)
                {
                    try walk(child, relative: key, prefix: prefix, into: &result)
                }
            case S_IFREG:
                if key.hasPrefix(prefix) { result.append(ObjectInfo(key: key, size: entry.size)) }
            default:
                continue
            }
        }
    }
}

/// Reads `offset..<end` of an open file with `pread`, and closes it when done or dropped.
final class FileRangeReader: ByteReader {
    private var fd: Int32
    private let path: String
    private var offset: Int64
    private let end: Int64

    init(fd: Int32, path: String, offset: Int64, end: Int64) {
        self.fd = fd
        self.path = path
        self.offset = offset
        self.end = end
    }

    deinit { if fd >= 0 { close(fd) } }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        let count = Int(min(Int64(maxCount), end - offset))
        guard count > 0, fd >= 0 else {
            finish()
            return []
        }
        var failure: Int32 = 0
        let buffer = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            while true {
                let result = pread(fd, buffer.baseAddress!, count, off_t(offset))
                if result < 0 && errno == EINTR { continue }
                if result < 0 { failure = errno } else { initialized = result }
                return
            }
        }
        guard failure == 0 else { throw StorageError.io(operation: "read", path: path, errno: failure) }
        if buffer.isEmpty {
            // The file shrank under us; end the stream and let the codec notice the size.
            finish()
            return []
        }
        offset += Int64(buffer.count)
        return buffer
    }

    private func finish() {
        if fd >= 0 { close(fd) }
        fd = -1
    }
}
