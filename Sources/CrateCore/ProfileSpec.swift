/// What a storage profile is, apart from its identity and keys: the values every layer agrees on.
///
/// The catalog stores it, the storage engine builds an object-store stack from it, and the
/// command line and the TUI edit it. All 8 combinations of location × encrypted × chunked are
/// valid (docs/storage-format.md).
public struct ProfileSpec: Hashable, Sendable, Codable {
    public var name: String
    public var location: ProfileLocation
    public var encrypted: Bool
    public var chunked: Bool
    /// Chunk size in bytes; `nil` for unchunked profiles.
    public var chunkSize: Int?

    /// The chunk size a chunked profile gets when none is given: 4 MiB.
    public static let defaultChunkSize = 4 * 1024 * 1024
    /// Smallest and largest allowed chunk sizes (both powers of two).
    public static let chunkSizeRange = (256 * 1024)...(64 * 1024 * 1024)

    public init(name: String, location: ProfileLocation, encrypted: Bool, chunked: Bool, chunkSize: Int? = nil) {
        self.name = name
        self.location = location
        self.encrypted = encrypted
        self.chunked = chunked
        self.chunkSize = chunked ? (chunkSize ?? Self.defaultChunkSize) : chunkSize
    }
}
