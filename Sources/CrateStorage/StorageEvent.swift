/// One object a release writer stored or found already stored.
public struct StoredObject: Hashable, Sendable {
    /// What the object holds.
    public enum Kind: Hashable, Sendable {
        /// A whole file (whole-file layout).
        case file(path: String)
        /// Chunk number `ordinal` of the release stream, with its content-derived id.
        case chunk(id: String, ordinal: Int)
    }

    public var key: String
    public var kind: Kind
    public var plaintextSize: Int64
    public var storedSize: Int64

    public init(key: String, kind: Kind, plaintextSize: Int64, storedSize: Int64) {
        self.key = key
        self.kind = kind
        self.plaintextSize = plaintextSize
        self.storedSize = storedSize
    }
}

/// What happened while a release was written, in order; the importer records these for resume
/// and shows them as progress.
public enum StorageEvent: Hashable, Sendable {
    /// An object was put.
    case objectStored(StoredObject)
    /// An object with that name and size was already there (resume or dedupe); nothing was put.
    case objectSkipped(StoredObject)
    /// A file has been consumed to its end and hashed.
    case fileWritten(ManifestFile)
    /// The manifest was put: the release copy is complete on storage.
    case manifestStored(key: String)
}
