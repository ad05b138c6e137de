import Synchronization

/// Plain chunks that a release's reads need more than once, kept (checked) after a read until
/// the last read that needs them, so that each is fetched once.
///
/// A chunk usually holds the end of one file and the start of the next (or of the next few). A
/// plain chunk is only handed on after its whole body matched its name, so every file's read
/// fetched all of it: an export of data set A (twelve 40 MiB tracks and three images in 4 MiB
/// chunks) sent 141 GETs for 120 chunks, and a release of 5 MiB MP3s would fetch nearly every
/// chunk twice. (A sealed chunk is read by segment, each file only its own range: nothing is
/// fetched twice.)
///
/// Only finished reads are shared: a read finds the bytes here or fetches them itself (so its
/// own cancellation and errors stay its own; two reads that want the same chunk at the same
/// moment both fetch it). How many reads of each chunk remain is counted on every read, kept or
/// not, from the manifest's mapping; bytes are kept only while a read remains, at most
/// `maxHeldBytes` at once (a chunk that does not fit is fetched again when needed). A read that
/// never comes (a range read, a sampled verify) leaves its chunk held until the
/// `ReleaseStorage` goes.
final class SharedChunkReads: Sendable {
    /// Four of the default 4 MiB chunks: an export restores four files at once, so up to four
    /// boundaries are open at a time. Larger chunks share fewer (from 32 MiB, none).
    static let maxHeldBytes = 16 << 20

    private struct State {
        /// Object key → reads still to come, for chunks read more than once.
        var remaining: [String: Int]
        var held: [String: [UInt8]] = [:]
        var heldBytes = 0
    }

    private let state: Mutex<State>

    /// - Parameter readsByKey: for every chunk object, how many mapping rows read it.
    init(readsByKey: [String: Int]) {
        state = Mutex(State(remaining: readsByKey.filter { $0.value > 1 }))
    }

    /// The chunk's checked bytes: kept from an earlier read of this release, or from `fetch`
    /// (which checks them).
    func bytes(key: String, fetch: () async throws -> [UInt8]) async throws -> [UInt8] {
        let kept: [UInt8]? = state.withLock { state in
            guard let left = state.remaining[key] else { return nil }
            state.remaining[key] = left > 1 ? left - 1 : nil
            guard let bytes = state.held[key] else { return nil }
            if left == 1 {
                state.held[key] = nil
                state.heldBytes -= bytes.count
            }
            return bytes
        }
        if let kept { return kept }
        let bytes = try await fetch()
        state.withLock { state in
            guard state.remaining[key] != nil, state.held[key] == nil,
                bytes.count <= Self.maxHeldBytes - state.heldBytes
            else { return }
            state.held[key] = bytes
            state.heldBytes += bytes.count
        }
        return bytes
    }

    /// How many chunks are held now (for tests).
    var heldCount: Int { state.withLock { $0.held.count } }
}
