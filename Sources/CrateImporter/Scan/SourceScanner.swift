import Foundation

/// One regular file found in a release folder.
public struct ScannedFile: Hashable, Sendable, Codable {
    /// Path relative to the release folder, `/`-separated.
    public var relativePath: String
    public var absolutePath: String
    public var size: Int64
    /// Modification time in nanoseconds and inode: together with `size`, what tells us later
    /// that the file changed under us.
    public var modifiedNanoseconds: Int64
    public var inode: UInt64
}

/// Stage 1, scan: walks a release folder in a stable order (UTF-8 byte order of relative
/// paths), refusing what cannot be stored faithfully.
///
/// Symbolic links are followed when their target lies inside the release folder (a `cover.jpg`
/// linking to `Scans/front.jpg`); a link pointing anywhere else (`notes.txt -> /etc/passwd`)
/// is refused naming both, unless `followLinksOutside` (`crate import --follow-symlinks`).
public enum SourceScanner {
    /// Names skipped silently: desktop litter, not part of a release.
    static let ignoredNames: Set<String> = [".DS_Store", "Thumbs.db", "desktop.ini"]

    public static func scan(_ path: String, followLinksOutside: Bool = false) throws(ImportError) -> [ScannedFile] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { throw .missingSource(path) }
            throw .unreadable(path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .sourceNotAFolder(path) }
        var files: [ScannedFile] = []
        var visited: Set<[UInt64]> = [[UInt64(info.st_dev), UInt64(info.st_ino)]]
        let inside = followLinksOutside ? nil : resolved(path) ?? path
        try walk(directory: path, relative: "", inside: inside, visited: &visited, into: &files)
        guard !files.isEmpty else { throw .emptySource(path) }
        files.sort { Array($0.relativePath.utf8).lexicographicallyPrecedes(Array($1.relativePath.utf8)) }
        return files
    }

    /// `path` with every link resolved, or `nil` when it cannot be.
    private static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Walks `directory`; with `inside` (the resolved release folder), a link must resolve to
    /// a path below it.
    private static func walk(
        directory: String, relative: String, inside: String?, visited: inout Set<[UInt64]>,
        into files: inout [ScannedFile]
    ) throws(ImportError) {
        for rawName in try entries(of: directory) {
            guard let name = utf8(rawName) else {
                let escaped = rawName.dropLast().map {
                    $0 >= 0 ? String(UnicodeScalar(UInt8($0))) : String(format: "\\x%02X", UInt8(bitPattern: $0))
                }.joined()
                throw .nonUTF8Name(directory + "/" + escaped)
            }
            if ignoredNames.contains(name) { continue }
            let absolute = directory + "/" + name
            let relativePath = relative.isEmpty ? name : relative + "/" + name
            if name.contains(where: \.isNewline) { throw .lineBreakInName(absolute) }
            if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw .controlCharacterInName(absolute)
            }
            var info = stat()
            if stat(absolute, &info) != 0 {
                var linkInfo = stat()
                if lstat(absolute, &linkInfo) == 0, linkInfo.st_mode & S_IFMT == S_IFLNK {
                    if errno == ELOOP { throw .symlinkLoop(absolute) }
                    throw .unreadable(absolute, reason: "a symbolic link to nothing")
                }
                throw .unreadable(absolute, reason: String(cString: strerror(errno)))
            }
            if let inside {
                var linkInfo = stat()
                if lstat(absolute, &linkInfo) == 0, linkInfo.st_mode & S_IFMT == S_IFLNK {
                    let target = resolved(absolute) ?? absolute
                    if target == inside || inside.hasPrefix(target + "/") { throw .symlinkLoop(absolute) }
                    guard target.hasPrefix(inside + "/") else { throw .linkOutsideRelease(absolute, target: target) }
                }
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                let identity = [UInt64(info.st_dev), UInt64(info.st_ino)]
                guard visited.insert(identity).inserted else { throw .symlinkLoop(absolute) }
                try walk(directory: absolute, relative: relativePath, inside: inside, visited: &visited, into: &files)
                visited.remove(identity)
            case S_IFREG:
                guard access(absolute, R_OK) == 0 else {
                    throw .unreadable(absolute, reason: String(cString: strerror(errno)))
                }
                files.append(
                    ScannedFile(
                        relativePath: relativePath, absolutePath: absolute, size: Int64(info.st_size),
                        modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                        inode: UInt64(info.st_ino)))
            case S_IFIFO: throw .specialFile(absolute, kind: "FIFO (named pipe)")
            case S_IFSOCK: throw .specialFile(absolute, kind: "socket")
            case S_IFCHR, S_IFBLK: throw .specialFile(absolute, kind: "device file")
            default: throw .specialFile(absolute, kind: "special file")
            }
        }
    }

    /// The names in a folder that the scan would consider: valid UTF-8, not desktop litter.
    static func names(in directory: String) throws(ImportError) -> [String] {
        try entries(of: directory).compactMap(utf8).filter { !ignoredNames.contains($0) }
    }

    /// A NUL-terminated name as text, when it is valid UTF-8.
    private static func utf8(_ raw: [CChar]) -> String? {
        String(validating: raw.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The raw names in a folder (NUL-terminated C strings), without `.` and `..`.
    private static func entries(of directory: String) throws(ImportError) -> [[CChar]] {
        guard let handle = opendir(directory) else {
            throw .unreadable(directory, reason: String(cString: strerror(errno)))
        }
        defer { closedir(handle) }
        var names: [[CChar]] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.bindMemory(to: CChar.self).prefix { $0 != 0 }) + [0]
            }
            if name == [46, 0] || name == [46, 46, 0] { continue }
            names.append(name)
        }
        return names
    }

    /// Checks that a scanned file is still the one scanned; `sourceChanged` otherwise.
    public static func checkUnchanged(_ file: ScannedFile) throws(ImportError) {
        var info = stat()
        guard stat(file.absolutePath, &info) == 0 else { throw .sourceChanged(file.absolutePath) }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        guard Int64(info.st_size) == file.size, modified == file.modifiedNanoseconds, UInt64(info.st_ino) == file.inode
        else { throw .sourceChanged(file.absolutePath) }
    }
}
