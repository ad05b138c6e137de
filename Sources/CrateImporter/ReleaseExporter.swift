import CrateStorage
import Foundation

/// Restores a release's files into a folder, streaming each through its hash check, writing to
/// a temporary name and renaming once complete. Never overwrites an existing file, and refuses
/// any path that would land outside the folder.
public enum ReleaseExporter {
    public static func export(
        _ release: ReleaseStorage, to directory: String, onFile: (String, Int64) -> Void = { _, _ in }
    ) async throws {
        let root = URL(fileURLWithPath: directory).standardizedFileURL.path
        let files = release.listFiles()
        // Check every target before writing anything.
        for file in files {
            let target = try targetPath(root: root, relative: file.path)
            if FileManager.default.fileExists(atPath: target) { throw ReleaseCopies.ReadError.targetExists(target) }
        }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for file in files {
            let target = try targetPath(root: root, relative: file.path)
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let temporary = target + ".crate-partial"
            guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
                throw StorageError.io(operation: "create", path: temporary, errno: errno)
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            do {
                let reader = try await release.readFile(file.path, verify: true)
                while true {
                    let piece = try await reader.read(upTo: 1 << 20)
                    if piece.isEmpty { break }
                    try handle.write(contentsOf: piece)
                }
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                unlink(temporary)
                throw error
            }
            guard rename(temporary, target) == 0 else {
                throw StorageError.io(operation: "rename", path: target, errno: errno)
            }
            onFile(file.path, file.size)
        }
    }

    /// `root/relative`, or `pathEscapes` when `relative` is absolute or climbs out with `..`.
    static func targetPath(root: String, relative: String) throws -> String {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !relative.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else {
            throw ReleaseCopies.ReadError.pathEscapes(relative)
        }
        let target = URL(fileURLWithPath: root + "/" + relative).standardizedFileURL.path
        guard target.hasPrefix(root + "/") else { throw ReleaseCopies.ReadError.pathEscapes(relative) }
        return target
    }
}
