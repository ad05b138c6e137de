import Foundation

/// Errors of the storage engine. `description` is the message a user reads; it names the object
/// or file and what to do.
public enum StorageError: Error, Sendable, CustomStringConvertible {
    /// No object under this key.
    case notFound(key: String)
    /// A key the store cannot hold (see the `ObjectStore` contract).
    case invalidKey(String)
    /// A range that starts past the end of the object.
    case invalidRange(key: String, range: Range<Int64>, size: Int64)
    /// The file system refused an operation; `errno` tells which.
    case io(operation: String, path: String, errno: Int32)
    /// An object failed authentication or is malformed: tampering, truncation, corruption or a
    /// wrong key.
    case integrity(key: String, reason: String)
    /// The passphrase did not unwrap the profile's data key.
    case wrongPassphrase(profile: String)
    /// A remote store failed; `retryable` carries its verdict.
    case remote(message: String, retryable: Bool)

    /// Whether the same call may succeed if tried again.
    public var isRetryable: Bool {
        switch self {
        case .remote(_, let retryable): retryable
        case .io(_, _, let code): code == EINTR || code == EAGAIN
        default: false
        }
    }

    public var description: String {
        switch self {
        case .notFound(let key): "object \"\(key)\" is missing from the store"
        case .invalidKey(let key): "\"\(key)\" is not a valid object key"
        case .invalidRange(let key, let range, let size):
            "range \(range.lowerBound)-\(range.upperBound) is past the end of \"\(key)\" (\(size) bytes)"
        case .io(let operation, let path, let code):
            "\(operation) \"\(path)\" failed: \(errnoDescription(code))"
        case .integrity(let key, let reason): "object \"\(key)\" failed its integrity check: \(reason)"
        case .wrongPassphrase(let profile): "wrong passphrase for profile \(profile)"
        case .remote(let message, _): message
        }
    }
}

func errnoDescription(_ code: Int32) -> String {
    String(cString: strerror(code))
}
