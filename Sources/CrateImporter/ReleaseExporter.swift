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
        // Up to `filesInFlight` files are fetched, checked, written, synced and renamed at once
        // (each its own task), so the network, the hashing and the disk all stay busy; `onFile`
        // hears of them in order.
        var running: [(file: ManifestFile, task: Task<Void, any Error>)] = []
        func finishOldest() async throws {
            let (file, task) = running.removeFirst()
            try await task.value
            onFile(file.path, file.size)
        }
        do {
            for file in files {
                let target = try targetPath(root: root, relative: file.path)
                try FileManager.default.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                running.append((file, Task { try await restore(release, file: file, as: target) }))
                if running.count >= filesInFlight { try await finishOldest() }
            }
            while !running.isEmpty { try await finishOldest() }
        } catch {
            for (_, task) in running { task.cancel() }
            for (_, task) in running { _ = try? await task.value }
            throw error
        }
    }

    /// Files restored at once. Measured against moto over HTTPS (docs/benchmarks.md): one file
    /// at a time left the line idle between windows; four, like rclone's `--transfers`, keep it
    /// full while peak memory stays near 2 windows × 8 MiB per file.
    static let filesInFlight = 4

    /// Writes one file under a temporary name beside `target`, syncs it and renames it into place.
    private static func restore(_ release: ReleaseStorage, file: ManifestFile, as target: String) async throws {
        let temporary = target + ".crate-partial"
        let fd = try await write(release, file: file, to: temporary)
        try await BlockingIO.run { try commit(fd: fd, temporary, as: target) }
    }

    /// Writes a file's verified bytes to `temporary` and returns the open descriptor (not yet
    /// synced). On failure the partial file is removed.
    ///
    /// Every `flushEvery` bytes written, the file's data so far is synced on a Dispatch thread
    /// while writing goes on, so the disk works beside the network instead of after it and the
    /// closing `fsync` finds little left to do. Measured on the 482 MiB export over HTTPS
    /// (docs/benchmarks.md): writing it back only at each file's end left the disk idle during
    /// the download and then made the download wait for it.
    private static func write(_ release: ReleaseStorage, file: ManifestFile, to temporary: String) async throws
        -> Int32
    {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StorageError.io(operation: "create", path: temporary, errno: errno) }
        var flush: Task<Void, any Error>?
        do {
            let reader = try await release.readFile(file.path, verify: true)
            var unsynced = 0
            while true {
                let piece = try await reader.read(upTo: 1 << 20)
                if piece.isEmpty { break }
                try writeAll(fd, piece, path: temporary)
                unsynced += piece.count
                if unsynced >= flushEvery {
                    // One flush at a time: a disk slower than the network holds the download back.
                    try await flush?.value
                    flush = Task { try await BlockingIO.run { try dataSync(fd, path: temporary) } }
                    unsynced = 0
                }
            }
            try await flush?.value
            return fd
        } catch {
            _ = try? await flush?.value
            close(fd)
            unlink(temporary)
            throw error
        }
    }

    static let flushEvery = 8 << 20

    private static func dataSync(_ fd: Int32, path: String) throws {
        guard fdatasync(fd) == 0 else { throw StorageError.io(operation: "fdatasync", path: path, errno: errno) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if result < 0 && errno == EINTR { continue }
            guard result >= 0 else { throw StorageError.io(operation: "write", path: path, errno: errno) }
            written += result
        }
    }

    /// fsync, close and rename a written file into place; blocks on the disk.
    private static func commit(fd: Int32, _ temporary: String, as target: String) throws {
        let synced = fsync(fd) == 0
        let code = errno
        guard close(fd) == 0, synced else {
            unlink(temporary)
            throw StorageError.io(operation: synced ? "close" : "fsync", path: temporary, errno: synced ? errno : code)
        }
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw StorageError.io(operation: "rename", path: target, errno: code)
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
