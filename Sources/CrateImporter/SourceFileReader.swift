import CrateStorage
import Foundation

/// Streams one source file from disk, reporting bytes as they are read when asked to, and
/// checking for cancellation between reads.
///
/// Reads with `read(2)` straight into the array it returns: going through `FileHandle` cost a
/// `Data` and then a copy into `[UInt8]` for every piece.
final class SourceFileReader: ByteReader {
    private var fd: Int32
    private let path: String
    private let onRead: (Int) async -> Void

    init(_ file: ScannedFile, onRead: @escaping (Int) async -> Void = { _ in }) throws(ImportError) {
        fd = open(file.absolutePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(file.absolutePath, reason: String(cString: strerror(errno))) }
        self.path = file.absolutePath
        self.onRead = onRead
    }

    deinit { if fd >= 0 { close(fd) } }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        try Task.checkCancellation()
        guard maxCount > 0, fd >= 0 else { return [] }
        var failure: Int32 = 0
        let piece = [UInt8](unsafeUninitializedCapacity: maxCount) { buffer, count in
            count = readFully(into: UnsafeMutableRawBufferPointer(buffer), failure: &failure)
        }
        try await finishRead(count: piece.count, failure: failure)
        return piece
    }

    /// Reads straight into the chunk being built: no intermediate array.
    func read(into buffer: ChunkBuffer, upTo maxCount: Int) async throws -> Int {
        precondition(maxCount > 0 && buffer.room > 0, "read(into:) needs room to read into")
        try Task.checkCancellation()
        guard fd >= 0 else { return 0 }
        var failure: Int32 = 0
        let count = buffer.append(upTo: maxCount) { readFully(into: $0, failure: &failure) }
        try await finishRead(count: count, failure: failure)
        return count
    }

    /// Fills `buffer` with `read(2)` until it is full or the file ends; returns the bytes read,
    /// setting `failure` to the errno of a failed read.
    private func readFully(into buffer: UnsafeMutableRawBufferPointer, failure: inout Int32) -> Int {
        var count = 0
        while count < buffer.count {
            let result = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
            if result < 0 && errno == EINTR { continue }
            if result < 0 { failure = errno }
            if result <= 0 { break }
            count += result
        }
        return count
    }

    private func finishRead(count: Int, failure: Int32) async throws {
        if failure != 0 { throw ImportError.unreadable(path, reason: String(cString: strerror(failure))) }
        if count == 0 {
            close(fd)
            fd = -1
        } else {
            await onRead(count)
        }
    }
}
