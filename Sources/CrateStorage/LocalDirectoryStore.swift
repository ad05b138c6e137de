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

    func path(for key: String) throws(StorageError) -> String {
        try ObjectKey.validate(key)
        let last = key.split(separator: "/").last ?? ""
        guard !last.hasPrefix(Self.temporaryPrefix) else { throw .invalidKey(key) }
        return root + "/" + key
    }

    public func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        let finalPath = try path(for: key)
        let folder = (finalPath as NSString).deletingLastPathComponent
        let temporaryPath = folder + "/" + Self.temporaryPrefix + UUID().uuidString
        var fd: Int32 = -1
        // A concurrent delete may remove the folder between its creation and the open (it tidies
        // empty folders): create it again and retry a few times.
        for _ in 0..<3 {
            try Self.makeFolders(folder)
            fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 || errno != ENOENT { break }
        }
        guard fd >= 0 else { throw StorageError.io(operation: "create", path: temporaryPath, errno: errno) }
        do {
            while true {
                let piece = try await body.read(upTo: Self.pieceSize)
                if piece.isEmpty { break }
                try Self.writeAll(fd, piece, path: temporaryPath)
            }
        } catch {
            close(fd)
            unlink(temporaryPath)
            throw error
        }
        try await BlockingIO.run { [fd] in try Self.commit(fd: fd, temporaryPath, as: finalPath, in: folder) }
    }

    /// Makes a written temporary file the object: fsync, close, rename over the final name,
    /// fsync the folder. Blocks on the disk; `put` runs it through `BlockingIO`.
    private static func commit(fd: Int32, _ temporaryPath: String, as finalPath: String, in folder: String)
        throws(StorageError)
    {
        guard fsync(fd) == 0 else {
            let code = errno
            close(fd)
            unlink(temporaryPath)
            throw .io(operation: "fsync", path: temporaryPath, errno: code)
        }
        guard close(fd) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw .io(operation: "close", path: temporaryPath, errno: code)
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw .io(operation: "rename", path: finalPath, errno: code)
        }
        try syncFolder(folder)
    }

    public func get(_ key: String, range: Range<Int64>?) async throws -> any ByteReader {
        let filePath = try path(for: key)
        let fd = open(filePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw StorageError.notFound(key: key) }
            throw StorageError.io(operation: "open", path: filePath, errno: code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw StorageError.io(operation: "stat", path: filePath, errno: code)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw StorageError.notFound(key: key)
        }
        let size = Int64(info.st_size)
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
        return FileRangeReader(fd: fd, path: filePath, offset: lower, end: upper)
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        let filePath = try path(for: key)
        var info = stat()
        guard stat(filePath, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw StorageError.io(operation: "stat", path: filePath, errno: code)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return ObjectInfo(key: key, size: Int64(info.st_size))
    }

    public func delete(_ key: String) async throws {
        let filePath = try path(for: key)
        guard unlink(filePath) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return }
            throw StorageError.io(operation: "delete", path: filePath, errno: code)
        }
        // Tidy empty folders up to the root so a plain profile stays browsable; a folder that
        // is not empty (or another error) simply stops the walk.
        var folder = (filePath as NSString).deletingLastPathComponent
        while folder.count > root.count && folder.hasPrefix(root + "/") && rmdir(folder) == 0 {
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    public func list(prefix: String) async throws -> [ObjectInfo] {
        // Start at the deepest folder the prefix names, so listing `objects/ab/` stays small.
        var start = ""
        if let slash = prefix.lastIndex(of: "/") { start = String(prefix[..<slash]) }
        var result: [ObjectInfo] = []
        try walk(relative: start, prefix: prefix, into: &result)
        return result.sorted { ObjectKey.precedes($0.key, $1.key) }
    }

    private func walk(relative: String, prefix: String, into result: inout [ObjectInfo]) throws {
        for entry in try entries(relative: relative) where !entry.name.hasPrefix(Self.temporaryPrefix) {
            let key = entry.key
            switch entry.type {
            case S_IFDIR:
                if prefix.hasPrefix(key + "/") || (key + "/").hasPrefix(prefix) || key.hasPrefix(prefix) {
                    try walk(relative: key, prefix: prefix, into: &result)
                }
            case S_IFREG:
                if key.hasPrefix(prefix) { result.append(ObjectInfo(key: key, size: entry.size)) }
            default:
                continue
            }
        }
    }

    /// The entries of the folder `relative` (the root when empty), as `lstat` sees them: a
    /// symbolic link is a link, never what it points to. A missing folder has none.
    func entries(relative: String) throws -> [(name: String, key: String, type: mode_t, size: Int64)] {
        let folder = relative.isEmpty ? root : root + "/" + relative
        guard let stream = opendir(folder) else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return [] }
            throw StorageError.io(operation: "list", path: folder, errno: code)
        }
        defer { closedir(stream) }
        var result: [(name: String, key: String, type: mode_t, size: Int64)] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let key = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(root + "/" + key, &info) == 0 else { continue }
            result.append((name, key, info.st_mode & S_IFMT, Int64(info.st_size)))
        }
        return result
    }

    static func makeFolders(_ folder: String) throws(StorageError) {
        if mkdir(folder, 0o700) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw .io(operation: "create folder", path: folder, errno: errno) }
        try makeFolders((folder as NSString).deletingLastPathComponent)
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST else {
            throw .io(operation: "create folder", path: folder, errno: errno)
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StorageError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "write", path: path, errno: errno)
            }
            written += result
        }
    }

    static func syncFolder(_ folder: String) throws(StorageError) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open folder", path: folder, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(operation: "fsync folder", path: folder, errno: errno) }
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
