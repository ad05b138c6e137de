import CrateCover

/// The covers read this session, by release id, so moving back to a release shows its cover
/// without reading it again. Holds the last `limit` releases: a cover is a few KiB, and a
/// long browse must not grow the state without end.
public struct CoverCache: Hashable, Sendable {
    public enum Entry: Hashable, Sendable {
        /// Asked for; the pane leaves its place empty until it comes.
        case loading
        case loaded(CoverImage)
        /// No copy could be read without a passphrase, or the file is not a picture: why.
        case unavailable(String)
    }

    public static let limit = 32

    private var entries: [String: Entry] = [:]
    /// Release ids, least recently stored first.
    private var order: [String] = []

    public init() {}

    public subscript(releaseId: String) -> Entry? {
        get { entries[releaseId] }
        set {
            order.removeAll { $0 == releaseId }
            guard let newValue else {
                entries[releaseId] = nil
                return
            }
            entries[releaseId] = newValue
            order.append(releaseId)
            while order.count > Self.limit { entries[order.removeFirst()] = nil }
        }
    }

    public var count: Int { entries.count }

    /// Drops the covers that could not be read, so the next look tries again (a profile was
    /// unlocked).
    mutating func forgetUnavailable() {
        for (id, entry) in entries {
            if case .unavailable = entry { self[id] = nil }
        }
    }
}

/// Asks for the shown release's cover when covers are on, it has one, and it is neither
/// cached nor on its way.
func coverEffects(_ state: inout State) -> [Effect] {
    guard state.coverArt, let detail = state.detail, let path = detail.cover, state.covers[detail.id] == nil
    else { return [] }
    state.covers[detail.id] = .loading
    return [.loadCover(releaseId: detail.id, path: path)]
}
