import Foundation

/// An open folder, reached from a root one name at a time without ever following a symbolic
/// link: how Crate touches files below a folder that someone else may have changed (a profile
/// folder, an export destination).
///
/// Every step below the root is an `openat` with `O_NOFOLLOW | O_DIRECTORY` from the folder
/// above, and every file is opened, created, renamed or removed relative to its folder's
/// descriptor; so a link planted anywhere below the root (`objects -> /etc`, `releases/x ->
/// /home`) is reported as `StorageError.unexpectedEntry` instead of being followed, and a
/// folder swapped for a link between two steps cannot redirect a step already taken. The root
/// itself is the user's choice and is opened as given.
public final class FolderHandle: Sendable {
    /// The descriptor, open for the handle's lifetime.
    public let fd: Int32
    /// The folder's path, for messages only (never opened by name again).
    public let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// The folder at `path`, created (with its parents) when `create` is set; `nil` when it is
    /// missing and `create` is not.
    public static func open(_ path: String, create: Bool) throws(StorageError) -> FolderHandle? {
        while true {
            let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 { return FolderHandle(fd: fd, path: path) }
            let code = errno
            if code == EINTR { continue }
            guard code == ENOENT, create else {
                if code == ENOENT { return nil }
                throw .io(operation: "open folder", path: path, errno: code)
            }
            try makeFolders(path)
        }
    }

    /// `mkdir -p` for the user-chosen root (which may itself lie under a link the user made).
    private static func makeFolders(_ folder: String) throws(StorageError) {
        if mkdir(folder, 0o700) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw .io(operation: "create folder", path: folder, errno: errno) }
        try makeFolders((folder as NSString).deletingLastPathComponent)
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST else {
            throw .io(operation: "create folder", path: folder, errno: errno)
        }
    }

    /// The folder `names` below this one (this one when empty), created when `create` is set,
    /// or `nil` when one of them is missing and `create` is not. A name that is a symbolic
    /// link, a file or anything else but a folder throws `unexpectedEntry`.
    public func descend(_ names: some Sequence<Substring>, create: Bool, mode: mode_t = 0o700)
        throws(StorageError) -> FolderHandle?
    {
        var current = self
        for name in names {
            guard let next = try current.child(String(name), create: create, mode: mode) else { return nil }
            current = next
        }
        return current
    }

    private func child(_ name: String, create: Bool, mode: mode_t) throws(StorageError) -> FolderHandle? {
        let childPath = path + "/" + name
        while true {
            let fd = openat(self.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd >= 0 { return FolderHandle(fd: fd, path: childPath) }
            let code = errno
            switch code {
            case EINTR: continue
            case ENOENT:
                guard create else { return nil }
                guard mkdirat(self.fd, name, mode) == 0 || errno == EEXIST else {
                    throw .io(operation: "create folder", path: childPath, errno: errno)
                }
            case ELOOP, ENOTDIR:
                // A file where a folder would be: the path names nothing (a key below an object).
                guard let kind = kind(of: name) else {
                    if create { throw .io(operation: "create folder", path: childPath, errno: ENOTDIR) }
                    return nil
                }
                throw .unexpectedEntry(path: childPath, kind: kind, key: nil)
            default:
                throw .io(operation: "open folder", path: childPath, errno: code)
            }
        }
    }

    /// The type bits (`S_IFREG`, `S_IFDIR`, `S_IFLNK`, …) and size of the entry `name`, as
    /// `lstat` sees it, or `nil` when there is none.
    public func entry(_ name: String) throws(StorageError) -> (type: mode_t, size: Int64)? {
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw .io(operation: "stat", path: path + "/" + name, errno: code)
        }
        return (info.st_mode & S_IFMT, Int64(info.st_size))
    }

    /// What the entry `name` is, in words, unless it is a regular file or missing.
    func kind(of name: String) -> String? {
        guard let entry = try? entry(name) else { return nil }
        return Self.describe(entry.type)
    }

    static func describe(_ type: mode_t) -> String? {
        switch type {
        case S_IFREG: nil
        case S_IFDIR: "folder"
        case S_IFLNK: "symbolic link"
        case S_IFIFO: "named pipe (FIFO)"
        case S_IFSOCK: "socket"
        case S_IFCHR, S_IFBLK: "device"
        default: "special file"
        }
    }

    /// Opens the regular file `name` for reading, or returns `nil` when there is none (or a
    /// folder has the name). A link or special file throws `unexpectedEntry` (a named pipe is
    /// never waited on).
    public func openFile(_ name: String) throws(StorageError) -> (fd: Int32, size: Int64)? {
        let filePath = path + "/" + name
        var fd: Int32
        repeat {
            fd = openat(self.fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        } while fd < 0
            && errno == EINTR
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            if code == ELOOP || code == ENXIO {
                throw .unexpectedEntry(path: filePath, kind: kind(of: name) ?? "special file", key: nil)
            }
            throw .io(operation: "open", path: filePath, errno: code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw .io(operation: "stat", path: filePath, errno: code)
        }
        if let kind = Self.describe(info.st_mode & S_IFMT) {
            close(fd)
            if kind == "folder" { return nil }
            throw .unexpectedEntry(path: filePath, kind: kind, key: nil)
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return (fd, Int64(info.st_size))
    }

    /// Creates a new file under a fresh random name starting with `prefix` (never an existing
    /// entry, never through a link) and returns its descriptor and name; `nil` when this folder
    /// was removed meanwhile.
    public func createUniqueFile(prefix: String, mode: mode_t) throws(StorageError) -> (fd: Int32, name: String)? {
        while true {
            let name = prefix + UUID().uuidString
            let fd = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd >= 0 { return (fd, name) }
            let code = errno
            if code == EINTR || code == EEXIST { continue }
            if code == ENOENT { return nil }
            throw .io(operation: "create", path: path + "/" + prefix + "…", errno: code)
        }
    }

    /// Moves the entry `from` to `to` within this folder. When `replacing` is false an existing
    /// `to` (of any kind, a link included) is never replaced: the move fails with `EEXIST`.
    public func move(_ from: String, to: String, replacing: Bool) throws(StorageError) {
        if replacing {
            guard renameat(fd, from, fd, to) == 0 else {
                throw .io(operation: "rename", path: path + "/" + to, errno: errno)
            }
            return
        }
        // linkat fails on any existing name and never follows one; then the old name goes. A
        // file system without hard links (FAT, some network mounts) gets a check, then a rename.
        if linkat(fd, from, fd, to, 0) == 0 {
            _ = unlinkat(fd, from, 0)
            return
        }
        let code = errno
        guard code == EPERM || code == EOPNOTSUPP || code == EMLINK else {
            throw .io(operation: "rename", path: path + "/" + to, errno: code)
        }
        guard try entry(to) == nil else { throw .io(operation: "rename", path: path + "/" + to, errno: EEXIST) }
        guard renameat(fd, from, fd, to) == 0 else {
            throw .io(operation: "rename", path: path + "/" + to, errno: errno)
        }
    }

    /// Removes the file (or link) `name`; `false` when there was none.
    @discardableResult
    public func remove(_ name: String) throws(StorageError) -> Bool {
        guard unlinkat(fd, name, 0) == 0 else {
            let code = errno
            if code == ENOENT { return false }
            throw .io(operation: "delete", path: path + "/" + name, errno: code)
        }
        return true
    }

    /// Removes the folder `name` if it is empty; `false` otherwise.
    @discardableResult
    public func removeEmptyFolder(_ name: String) -> Bool {
        unlinkat(fd, name, AT_REMOVEDIR) == 0
    }

    /// The names in this folder (without `.` and `..`) with their types and sizes as `lstat`
    /// sees them.
    public func entries() throws(StorageError) -> [(name: String, type: mode_t, size: Int64)] {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else {
            let code = errno
            if copy >= 0 { close(copy) }
            throw .io(operation: "list", path: path, errno: code)
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var result: [(name: String, type: mode_t, size: Int64)] = []
        while let record = readdir(stream) {
            let name = withUnsafePointer(to: record.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            guard let entry = try? entry(name) else { continue }
            result.append((name, entry.type, entry.size))
        }
        return result
    }

    /// Writes all of `bytes` to the open file `fd` (named `path` in messages), retrying short
    /// and interrupted writes: the one write loop the local store and export share.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StorageError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if result < 0 && errno == EINTR { continue }
            guard result >= 0 else { throw .io(operation: "write", path: path, errno: errno) }
            written += result
        }
    }

    /// Makes the written temporary file `temporary` (open as `fd`) the file `name`, durably:
    /// fsync, close, move (`replacing` as in `move`), then fsync this folder, so after a crash
    /// `name` holds either nothing new or the whole file. On failure the temporary file is
    /// removed. Blocks on the disk: the one commit step of the local store and of export.
    public func commitTemporary(fd: Int32, _ temporary: String, as name: String, replacing: Bool)
        throws(StorageError)
    {
        let temporaryPath = path + "/" + temporary
        guard fsync(fd) == 0 else {
            let code = errno
            close(fd)
            _ = try? remove(temporary)
            throw .io(operation: "fsync", path: temporaryPath, errno: code)
        }
        guard close(fd) == 0 else {
            let code = errno
            _ = try? remove(temporary)
            throw .io(operation: "close", path: temporaryPath, errno: code)
        }
        do {
            try move(temporary, to: name, replacing: replacing)
        } catch {
            _ = try? remove(temporary)
            throw error
        }
        try sync()
    }

    /// Flushes the folder's entries (new and renamed names) to the disk.
    public func sync() throws(StorageError) {
        guard fsync(fd) == 0 else { throw .io(operation: "fsync folder", path: path, errno: errno) }
    }
}
