import Foundation
import Synchronization

/// Which import jobs this process is running, so that two processes never run one job.
///
/// A running job holds an exclusive `flock` on `<folder>/<job id>.lock`, a file holding the
/// holder's pid. The kernel drops the lock when the process ends, however it ends — a
/// `kill -9` or a crash included — so a dead process never leaves a job claimed and
/// `crate import --resume` can take it over; a live one makes the claim fail with its pid.
/// Without a folder (in-memory catalogs, in tests) claims only count within this value.
public final class JobClaims: Sendable {
    /// Where the lock files live; `nil` for claims within this process only.
    public let folder: String?
    /// Claims this value holds: job id → descriptor of its locked file (-1 without a folder).
    private let held = Mutex<[String: Int32]>([:])

    public init(folder: String?) {
        self.folder = folder
    }

    /// Claims `jobId` for this process; claiming a job it already holds does nothing. Throws
    /// `ImportSetupError.jobRunningElsewhere` when another process holds it.
    public func claim(_ jobId: String, sourcePath: String) throws {
        try held.withLock { held in
            guard held[jobId] == nil else { return }
            guard let folder else {
                held[jobId] = -1
                return
            }
            held[jobId] = try Self.lock(folder + "/" + jobId + ".lock", jobId: jobId, sourcePath: sourcePath)
        }
    }

    /// Gives the claim up (after the job ended, or could not start).
    public func release(_ jobId: String) {
        held.withLock { held in
            guard let fd = held.removeValue(forKey: jobId), fd >= 0, let folder else { return }
            // Unlink while still locked: a process waiting on the old file sees it is gone.
            unlink(folder + "/" + jobId + ".lock")
            close(fd)
        }
    }

    /// Opens, locks and stamps the lock file; returns its descriptor.
    private static func lock(_ path: String, jobId: String, sourcePath: String) throws -> Int32 {
        let folder = (path as NSString).deletingLastPathComponent
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST else {
            throw ImportSetupError.cannotClaim(jobId, path: folder, reason: String(cString: strerror(errno)))
        }
        // A holder that ends between our open and our flock unlinks the file we opened: only a
        // lock on the file still at `path` counts, so try again with the new one.
        for _ in 0..<8 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw ImportSetupError.cannotClaim(jobId, path: path, reason: String(cString: strerror(errno)))
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let code = errno
                let holder = readPid(fd)
                close(fd)
                if code == EWOULDBLOCK {
                    throw ImportSetupError.jobRunningElsewhere(jobId, sourcePath: sourcePath, pid: holder)
                }
                throw ImportSetupError.cannotClaim(jobId, path: path, reason: String(cString: strerror(code)))
            }
            var opened = stat()
            var current = stat()
            if fstat(fd, &opened) == 0, stat(path, &current) == 0, opened.st_ino == current.st_ino,
                opened.st_dev == current.st_dev
            {
                let stamp = Array("\(getpid())\n".utf8)
                _ = ftruncate(fd, 0)
                _ = stamp.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
                return fd
            }
            close(fd)
        }
        throw ImportSetupError.cannotClaim(jobId, path: path, reason: "its lock file keeps being replaced")
    }

    /// The pid a holder wrote into its lock file, if it has yet.
    private static func readPid(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
