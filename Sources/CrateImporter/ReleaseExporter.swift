import CrateStorage
import Foundation

/// Restores a release's files into a folder, streaming each through its hash check, writing to
/// a temporary name and moving it into place once complete. Never overwrites an existing file,
/// refuses any path that would land outside the folder, and never follows a symbolic link below
/// it (every step is taken by descriptor through `FolderHandle`): a link planted in the folder
/// is reported, not written through.
public enum ReleaseExporter {
    public static func export(
        _ release: ReleaseStorage, to directory: String, onFile: (String, Int64) -> Void = { _, _ in }
    ) async throws {
        let root = URL(fileURLWithPath: directory).standardizedFileURL.path
        let files = try release.listFiles().map { file in (file, try targetNames(file.path)) }
        // Check every target before writing anything.
        if let existing = try FolderHandle.open(root, create: false) {
            for (file, names) in files {
                guard let folder = try existing.descend(names.dropLast(), create: false) else { continue }
                if try folder.entry(String(names.last!)) != nil {
                    throw ReleaseCopies.ReadError.targetExists(root + "/" + file.path)
                }
            }
        }
        guard let rootFolder = try FolderHandle.open(root, create: true) else { return }
        // Up to `filesInFlight` files are fetched, checked, written, synced and moved at once
        // (each its own task), so the network, the hashing and the disk all stay busy; `onFile`
        // hears of them in order. Cancelling the export (Ctrl-C) cancels the file it waits for,
        // whose failure then cancels the rest: each removes its temporary file.
        var running: [(file: ManifestFile, task: Task<Void, any Error>)] = []
        func finishOldest() async throws {
            let (file, task) = running.removeFirst()
            try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
            onFile(file.path, file.size)
        }
        do {
            for (file, names) in files {
                try Task.checkCancellation()
                let folder = try rootFolder.descend(names.dropLast(), create: true, mode: 0o755)!
                let name = String(names.last!)
                running.append((file, Task { try await restore(release, file: file, into: folder, as: name) }))
                if running.count >= filesInFlight { try await finishOldest() }
            }
            while !running.isEmpty { try await finishOldest() }
        } catch {
            for (_, task) in running { task.cancel() }
            for (_, task) in running { _ = try? await task.value }
            throw error
        }
    }

    /// Files restored at once: one file at a time left the line idle between windows; four,
    /// like rclone's `--transfers`, keep it full while memory stays near two 8 MiB windows per
    /// file (docs/benchmarks.md).
    static let filesInFlight = 4

    /// Temporary files start with this and a random UUID, created new (`O_EXCL`): no release
    /// path can collide with one, and no planted name can redirect the write.
    static let temporaryPrefix = ".crate-export-"

    /// Writes one file under a temporary name in `folder`, syncs it and moves it to `name`.
    private static func restore(
        _ release: ReleaseStorage, file: ManifestFile, into folder: FolderHandle, as name: String
    )
        async throws
    {
        guard let (fd, temporary) = try folder.createUniqueFile(prefix: temporaryPrefix, mode: 0o644) else {
            throw StorageError.io(operation: "create", path: folder.path, errno: ENOENT)
        }
        try await write(release, file: file, to: fd, path: folder.path + "/" + temporary) {
            _ = try? folder.remove(temporary)
        }
        try await BlockingIO.run { try commit(fd: fd, temporary, as: name, in: folder) }
    }

    /// Writes a file's verified bytes to the open temporary file `fd` (not yet synced). On
    /// failure it is closed and `discard` removes it.
    ///
    /// Every `flushEvery` bytes written, the file's data so far is synced on a Dispatch thread
    /// while writing goes on, so the disk works beside the network instead of after it and the
    /// closing `fsync` finds little left to do. Measured on an export over HTTPS
    /// (docs/benchmarks.md): writing it back only at each file's end left the disk idle during
    /// the download and then made the download wait for it.
    private static func write(
        _ release: ReleaseStorage, file: ManifestFile, to fd: Int32, path temporary: String,
        discard: () -> Void
    ) async throws {
        var flush: Task<Void, any Error>?
        do {
            let reader = try await release.readFile(file.path, verify: true)
            var unsynced = 0
            while true {
                let piece = try await reader.read(upTo: 1 << 20)
                if piece.isEmpty { break }
                try FolderHandle.writeAll(fd, piece, path: temporary)
                unsynced += piece.count
                if unsynced >= flushEvery {
                    // One flush at a time: a disk slower than the network holds the download back.
                    try await flush?.value
                    flush = Task { try await BlockingIO.run { try dataSync(fd, path: temporary) } }
                    unsynced = 0
                }
            }
            try await flush?.value
        } catch {
            _ = try? await flush?.value
            close(fd)
            discard()
            throw error
        }
    }

    static let flushEvery = 8 << 20

    private static func dataSync(_ fd: Int32, path: String) throws {
        guard fdatasync(fd) == 0 else { throw StorageError.io(operation: "fdatasync", path: path, errno: errno) }
    }

    /// Makes the written file `name` (never replacing anything that took the name meanwhile);
    /// blocks on the disk.
    private static func commit(fd: Int32, _ temporary: String, as name: String, in folder: FolderHandle) throws {
        do {
            try folder.commitTemporary(fd: fd, temporary, as: name, replacing: false)
        } catch .io(_, _, EEXIST) {
            throw ReleaseCopies.ReadError.targetExists(folder.path + "/" + name)
        }
    }

    /// The names of `relative`'s folders and file, or `pathEscapes` when it is absolute, empty
    /// or has an empty, `.` or `..` segment.
    static func targetNames(_ relative: String) throws -> [Substring] {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !relative.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else {
            throw ReleaseCopies.ReadError.pathEscapes(relative)
        }
        return parts
    }
}
