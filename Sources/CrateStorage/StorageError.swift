import Foundation

/// Errors of the storage engine. `description` is the message a user reads; it names the object
/// or file and what to do.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No object under this key.
    case notFound(key: String)
    /// A key the store cannot hold (see the `ObjectStore` contract).
    case invalidKey(String)
    /// A range that starts past the end of the object.
    case invalidRange(key: String, range: Range<Int64>, size: Int64)
    /// The file system refused an operation; `errno` tells which.
    case io(operation: String, path: String, errno: Int32)
    /// An object is malformed in a way none of the more specific cases below describes.
    case integrity(key: String, reason: String)
    /// The object does not start with the sealed-object magic: it was not written by Crate's
    /// sealed codec (or its first bytes were damaged).
    case notACrateObject(key: String)
    /// The object was written in a sealed format version this build cannot read.
    case unsupportedFormatVersion(key: String, version: UInt8)
    /// The object was sealed under another data key (its key id differs from ours).
    case wrongKey(key: String, expectedKeyID: String, foundKeyID: String)
    /// A segment failed AES-GCM authentication: the bytes were altered, or the object was
    /// copied from another name (the associated data binds the name).
    case authenticationFailed(key: String, segment: Int64)
    /// The object ends early: its last segment is missing or it was cut short.
    case truncated(key: String, reason: String)
    /// The passphrase did not unwrap the profile's data key.
    case wrongPassphrase(profile: String)
    /// No passphrase could be obtained (no terminal, unreadable file, empty input).
    case passphraseUnavailable(reason: String)
    /// A sealed profile was used without its data key, or a key/recovery code is malformed.
    case keyUnavailable(reason: String)
    /// The release has no file at this relative path.
    case fileNotFound(release: String, path: String)
    /// A file path that cannot be stored (empty, absolute, `.`/`..` segments, duplicate).
    case invalidFilePath(String)
    /// Files were appended to a release writer out of the deterministic order.
    case filesOutOfOrder(previous: String, next: String)
    /// A source file produced a different number of bytes than announced: it changed while
    /// being stored.
    case fileSizeChanged(path: String, expected: Int64, actual: Int64)
    /// A file read back does not match the SHA-256 recorded when it was stored.
    case fileMismatch(release: String, path: String)
    /// A plain chunk read back does not match its id (the SHA-256 of its bytes).
    case chunkMismatch(release: String, path: String, chunk: String, key: String)
    /// A profile whose location needs a store the caller did not supply (S3 before its client).
    /// A profile's store holds no `crate-profile.json`, or one that describes another profile.
    case profileMismatch(profile: String, reason: String)
    /// A release writer is unusable after one of its writes failed midway.
    case writerFailed(release: String)
    /// A stored document (`crate-profile.json`, a manifest) could not be decoded.
    case malformedDocument(key: String, reason: String)
    /// A profile or manifest uses a format version this build does not know.
    case unsupportedDocumentVersion(key: String, version: Int)
    /// A remote store failed; `retryable` carries its verdict.
    case remote(message: String, retryable: Bool)
    /// Where a folder or file should be there is something Crate never follows or reads: a
    /// symbolic link, a named pipe, a device, or a folder where a file should be. `key` names
    /// the object when the path is inside a store.
    case unexpectedEntry(path: String, kind: String, key: String?)

    /// Whether the same call may succeed if tried again.
    public var isRetryable: Bool {
        switch self {
        case .remote(_, let retryable): retryable
        case .io(_, _, let code): code == EINTR || code == EAGAIN
        default: false
        }
    }

    /// Whether no secret could be had to unlock a sealed profile (none given, no terminal to
    /// ask on): the caller can say how to give one. A wrong one is not this.
    public var isMissingSecret: Bool {
        switch self {
        case .passphraseUnavailable, .keyUnavailable: true
        default: false
        }
    }

    /// Whether the file system under a local store is full (or the user's quota is used up):
    /// nothing is wrong with the data, and the same work succeeds once there is space.
    public var isOutOfSpace: Bool {
        if case .io(_, _, let code) = self { return code == ENOSPC || code == EDQUOT }
        return false
    }

    public var description: String {
        switch self {
        case .notFound(let key): "object \"\(key)\" is missing from the store"
        case .invalidKey(let key): "\"\(key)\" is not a valid object key"
        case .invalidRange(let key, let range, let size):
            "range \(range.lowerBound)-\(range.upperBound) is past the end of \"\(key)\" (\(size) bytes)"
        case .io(let operation, let path, let code) where code == ENOSPC || code == EDQUOT:
            "no space left for \"\(path)\" (\(operation) failed: \(errnoDescription(code))); "
                + "free space on that disk or use another profile"
        case .io(let operation, let path, let code):
            "\(operation) \"\(path)\" failed: \(errnoDescription(code))"
        case .integrity(let key, let reason): "object \"\(key)\" failed its integrity check: \(reason)"
        case .notACrateObject(let key): "object \"\(key)\" is not a Crate object (bad magic)"
        case .unsupportedFormatVersion(let key, let version):
            "object \"\(key)\" uses sealed format version \(version), which this Crate cannot read; upgrade Crate"
        case .wrongKey(let key, let expected, let found):
            "object \"\(key)\" was sealed with another key (key id \(found), expected \(expected)); "
                + "is this the right profile?"
        case .authenticationFailed(let key, let segment):
            "object \"\(key)\" failed authentication at segment \(segment): it was altered, damaged "
                + "or swapped with another object"
        case .truncated(let key, let reason): "object \"\(key)\" is truncated: \(reason)"
        case .wrongPassphrase(let profile): "wrong passphrase for profile \(profile)"
        case .passphraseUnavailable(let reason):
            "no passphrase: \(reason); set CRATE_PASSPHRASE, use --passphrase-file or run in a terminal"
        case .keyUnavailable(let reason): "no usable data key: \(reason)"
        case .fileNotFound(let release, let path): "release \(release) has no file \"\(path)\""
        case .invalidFilePath(let path): "\"\(path)\" is not a relative file path Crate can store"
        case .filesOutOfOrder(let previous, let next):
            "file \"\(next)\" was given after \"\(previous)\"; files must be written sorted by path"
        case .fileSizeChanged(let path, let expected, let actual):
            "file \"\(path)\" changed while being stored (expected \(expected) bytes, read \(actual)); "
                + "import it again"
        case .fileMismatch(let release, let path):
            "file \"\(path)\" of release \(release) does not match its recorded SHA-256; restore it from another copy"
        case .chunkMismatch(let release, let path, let chunk, let key):
            "file \"\(path)\" of release \(release): chunk \(chunk.prefix(16))… (object \"\(key)\") does not "
                + "match its SHA-256; the stored object was altered or damaged — restore the release from another copy"
        case .profileMismatch(let profile, let reason): "profile \(profile) cannot use its storage: \(reason)"
        case .writerFailed(let release):
            "storing release \(release) failed earlier; start again (objects already stored are skipped)"
        case .malformedDocument(let key, let reason): "\"\(key)\" is malformed: \(reason)"
        case .unsupportedDocumentVersion(let key, let version):
            "\"\(key)\" has format version \(version), which this Crate cannot read; upgrade Crate"
        case .remote(let message, _): message
        case .unexpectedEntry(let path, let kind, let key?):
            "object \"\(key)\" cannot be used: \"\(path)\" is a \(kind); Crate never follows links or "
                + "reads special files inside a profile folder. Something other than Crate changed it: "
                + "move \"\(path)\" away and run `crate verify`"
        case .unexpectedEntry(let path, let kind, nil):
            "\"\(path)\" is a \(kind); Crate never follows links or writes through special files "
                + "here: move it away or choose another folder"
        }
    }
}

extension StorageError {
    /// This error, naming `key` when it is about an entry inside a store.
    func naming(key: String) -> StorageError {
        if case .unexpectedEntry(let path, let kind, nil) = self {
            return .unexpectedEntry(path: path, kind: kind, key: key)
        }
        return self
    }
}

func errnoDescription(_ code: Int32) -> String {
    String(cString: strerror(code))
}
