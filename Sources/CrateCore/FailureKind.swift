/// What kind of failure an error is: what the command line makes its exit status of
/// (docs/user-guide.md, "Exit codes"), mapped in one place (`reportingErrors` in `crate`).
public enum FailureKind: Sendable, Hashable {
    /// What was asked is wrong as given: a value, a combination of options, a folder that
    /// cannot be a release, a change the stored data forbids. Exit status 64.
    case badInput
    /// Something the command names does not exist: a profile, a release, a copy, a job, a
    /// folder. Exit status 66.
    case notFound
    /// The work itself failed: storage, damage, a busy store, a wrong passphrase. Exit status 1.
    case failure

    /// The exit status for this kind (sysexits' EX_USAGE and EX_NOINPUT, else 1).
    public var exitStatus: Int32 {
        switch self {
        case .badInput: 64
        case .notFound: 66
        case .failure: 1
        }
    }
}

/// An error that knows its `FailureKind`. Each module's error types conform; one that does
/// not is a `.failure`.
public protocol KindedError: Error {
    var kind: FailureKind { get }
}

extension ProfileValidationError: KindedError {
    public var kind: FailureKind { .badInput }
}
