import Synchronization

/// Plain chunks that a release's reads need more than once, kept (checked) after the first read
/// until the last one that needs them has taken them, so that each is fetched once.
///
/// A chunk usually holds the end of one file and the start of the next. A plain chunk is only
/// handed on after its whole body matched its name, so both files' reads fetched all of it: an
/// export of twelve 40 MiB tracks in 4 MiB chunks fetched 15 chunks twice (60 MiB, 12 % more
/// than the release), and a release of 5 MiB MP3s nearly every chunk. (A sealed chunk is read
/// by segment, each file only its own range: nothing is fetched twice.)
///
/// At most `maxHeldBytes` are kept at once; a chunk that does not fit is fetched again when
/// needed, as before. A read that never comes (a range read, a single file) leaves its chunk
/// held until the `ReleaseStorage` goes. A failed fetch is not kept: the next read tries again.
final class SharedChunkReads: Sendable {
    /// Four of the default 4 MiB chunks: an export restores four files at once, so about four
    /// boundaries are open at a time.
    static let maxHeldBytes: Int64 = 16 << 20

    private struct Held {
        let fetch: Task<[UInt8], any Error>
        var readsLeft: Int
        let size: Int64
    }

    /// Object key → how many reads of the release need it, for chunks needed more than once.
    private let reads: [String: Int]
    private let held = Mutex<(chunks: [String: Held], bytes: Int64)>(([:], 0))

    /// - Parameter readsByKey: for every chunk object, how many mapping rows read it.
    init(readsByKey: [String: Int]) { reads = readsByKey.filter { $0.value > 1 } }

    /// The chunk's checked bytes: from an earlier read of this release, or from `fetch`.
    func bytes(
        key: String, size: Int64, fetch: @escaping @Sendable () async throws -> [UInt8]
    ) async throws -> [UInt8] {
        guard let total = reads[key] else { return try await fetch() }
        let task = held.withLock { held in
            if var chunk = held.chunks[key] {
                chunk.readsLeft -= 1
                if chunk.readsLeft == 0 {
                    held.chunks[key] = nil
                    held.bytes -= chunk.size
                } else {
                    held.chunks[key] = chunk
                }
                return chunk.fetch
            }
            let task = Task { try await fetch() }
            if held.bytes + size <= Self.maxHeldBytes {
                held.chunks[key] = Held(fetch: task, readsLeft: total - 1, size: size)
                held.bytes += size
            }
            return task
        }
        do {
            return try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                // Another read may still want it: only an unshared fetch is cancelled with its reader.
                if held.withLock({ $0.chunks[key]?.fetch != task }) { task.cancel() }
            }
        } catch {
            held.withLock { held in
                if let chunk = held.chunks[key], chunk.fetch == task {
                    held.chunks[key] = nil
                    held.bytes -= chunk.size
                }
            }
            throw error
        }
    }

    /// How many chunks are held now (for tests).
    var heldCount: Int { held.withLock { $0.chunks.count } }
}
