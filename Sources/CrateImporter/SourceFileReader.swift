import CrateStorage
import Foundation

/// Streams one source file from disk, reporting bytes as they are read (progress within large
/// files) and checking for cancellation between reads.
final class SourceFileReader: ByteReader {
    private let handle: FileHandle
    private let path: String
    private let onRead: (Int) async -> Void

    init(_ file: ScannedFile, onRead: @escaping (Int) async -> Void) throws(ImportError) {
        guard let handle = FileHandle(forReadingAtPath: file.absolutePath) else {
            throw .unreadable(file.absolutePath, reason: String(cString: strerror(errno)))
        }
        self.handle = handle
        self.path = file.absolutePath
        self.onRead = onRead
    }

    deinit { try? handle.close() }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        try Task.checkCancellation()
        let data: Data
        do {
            data = try handle.read(upToCount: maxCount) ?? Data()
        } catch {
            throw ImportError.unreadable(path, reason: error.localizedDescription)
        }
        if !data.isEmpty { await onRead(data.count) }
        return [UInt8](data)
    }
}
