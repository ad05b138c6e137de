import CrateCore

/// Why a check could not run at all (a damaged file is a result, not an error).
public enum AudioCheckError: Error, KindedError, Equatable, CustomStringConvertible {
    /// libFLAC could not make or start a decoder (out of memory).
    case decoderUnavailable

    public var kind: FailureKind { .failure }

    public var description: String {
        switch self {
        case .decoderUnavailable: "libFLAC could not start a decoder (out of memory?)"
        }
    }
}
