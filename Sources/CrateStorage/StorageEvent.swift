/// One object a release writer stored or found already stored.
public struct StoredObject: Hashable, Sendable {
    /// What the object holds.
    public enum Kind: Hashable, Sendable {
        /// File number `index` (in path order) of the release, with the SHA-256 (hex) of its
        /// plaintext (whole-file layout).
        case file(path: String, index: Int, sha256: String)
        /// Chunk number `ordinal` of the release stream, with its content-derived id.
        case chunk(id: String, ordinal: Int)
    }

    public var key: String
    public var kind: Kind
    public var plaintextSize: Int64
    public var storedSize: Int64

    /// Its place among the release's objects (`ObjectTransfer.cell`): the chunk's ordinal or
    /// the file's index.
    public var cell: Int {
        switch kind {
        case .chunk(_, let ordinal): ordinal
        case .file(_, let index, _): index
        }
    }

    public init(key: String, kind: Kind, plaintextSize: Int64, storedSize: Int64) {
        self.key = key
        self.kind = kind
        self.plaintextSize = plaintextSize
        self.storedSize = storedSize
    }
}

/// What happened while a release was written; the importer records these for resume and shows
/// them as progress. `.objectStored`, `.objectSkipped`, `.fileWritten` and `.manifestStored`
/// come in order (see `ReleaseWriter`); the `put…` events come from the tasks storing objects
/// as things happen, so those of different objects interleave, and an object's
/// `.putConfirmed` comes before its `.objectStored`.
public enum StorageEvent: Hashable, Sendable {
    /// An object was put.
    case objectStored(StoredObject)
    /// An object with that name and size was already there (resume or dedupe); nothing was put.
    case objectSkipped(StoredObject)
    /// A file has been consumed to its end and hashed.
    case fileWritten(ManifestFile)
    /// The manifest was put: the release copy is complete on storage.
    case manifestStored(key: String)
    /// An object's put began (nothing of its name and size was there): it is in flight.
    case putStarted(ObjectTransfer)
    /// The store has taken `bytes` of the object's stored form so far.
    case putSent(cell: Int, bytes: Int64)
    /// The store acknowledged the object: it is stored.
    case putConfirmed(cell: Int, StoredObject)
    /// The put failed or was cancelled; `reason` says why.
    case putFailed(cell: Int, reason: String)
}
