import CrateCore
import Foundation

/// Why an import could not start or did not finish. Every message names the path or file and
/// what to do; none of them ever costs data already stored.
public enum ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source path does not exist.
    case missingSource(String)
    /// The source is a file, not a folder.
    case sourceNotAFolder(String)
    /// The folder holds no files.
    case emptySource(String)
    /// A file or folder could not be read.
    case unreadable(String, reason: String)
    /// Following symbolic links leads back to a folder already visited.
    case symlinkLoop(String)
    /// A FIFO, socket or device file.
    case specialFile(String, kind: String)
    /// A file name that is not valid UTF-8 (shown with escapes).
    case nonUTF8Name(String)
    /// A file name with a line break.
    case lineBreakInName(String)
    /// A file name with another control character (ESC, BEL, …): it could rewrite a terminal
    /// that prints it.
    case controlCharacterInName(String)
    /// A symbolic link whose target lies outside the release folder (the release would hold
    /// something that is not in it); followed only with `--follow-symlinks`.
    case linkOutsideRelease(String, target: String)
    /// A file changed between scanning and storing.
    case sourceChanged(String)
    /// The disk under a local profile is full; the job stays unfinished and resumes once
    /// there is space.
    case profileFull(profile: String, location: String, reason: String)
    /// The audio check found damaged files and the job was not started with `--allow-damaged`.
    case damagedAudio([DamagedAudioFile])

    /// Whether the folder given was at fault (the user can fix it and try again), rather than
    /// something that went wrong while importing.
    public var isBadInput: Bool {
        switch self {
        case .sourceChanged, .profileFull: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case .missingSource(let path):
            "\(path) does not exist; give the path of a release folder"
        case .sourceNotAFolder(let path):
            "\(path) is a file, not a folder; give the folder that holds the release"
        case .emptySource(let path):
            "\(path) holds no files; there is nothing to import"
        case .unreadable(let path, let reason):
            "cannot read \(path) (\(reason)); fix its permissions or move it out of the release folder"
        case .symlinkLoop(let path):
            "\(path) is a symbolic link that loops back into the folder; remove the link"
        case .specialFile(let path, let kind):
            "\(path) is a \(kind), not a regular file; move it out of the release folder"
        case .nonUTF8Name(let path):
            "the file name \(path) is not valid UTF-8; rename it (e.g. with `convmv`)"
        case .lineBreakInName(let path):
            "the file name \(path.debugDescription) contains a line break; rename it"
        case .controlCharacterInName(let path):
            "the file name \(path.debugDescription) contains a control character; rename it"
        case .linkOutsideRelease(let path, let target):
            "\(path) is a symbolic link to \(target), outside the release folder; copy the file into "
                + "the folder, or import with --follow-symlinks to store what it points to"
        case .sourceChanged(let path):
            "\(path) changed while it was being imported; let whatever writes it finish, then import again"
        case .profileFull(let profile, let location, let reason):
            "disk full on profile \(profile) at \(location) (\(reason)); free space there and run "
                + "`crate import --resume` (what is stored is kept), or import into another profile with --profile"
        case .damagedAudio(let files):
            (files.count == 1 ? "a file is damaged: " : "\(files.count) files are damaged: ")
                + files.map { "\($0.path) (\($0.reason))" }.joined(separator: "; ")
                + "; nothing was imported. Replace the files, or import with --allow-damaged to store them "
                + "as they are (the release records that it was allowed)"
        }
    }
}

extension ImportError: KindedError {
    public var kind: FailureKind {
        if case .missingSource = self { return .notFound }
        return isBadInput ? .badInput : .failure
    }
}

extension ImportSetupError: KindedError {
    public var kind: FailureKind {
        switch self {
        case .noDefaultProfile, .jobFinished: .badInput
        case .unknownJob: .notFound
        case .jobRunningElsewhere, .cannotClaim: .failure
        }
    }
}

extension ReleaseCopies.ReadError: KindedError {
    public var kind: FailureKind {
        switch self {
        case .noCopies, .noCopyOnProfile: .notFound
        case .targetExists: .badInput
        case .pathEscapes: .failure
        }
    }
}

extension ReleaseCopier.CopyError: KindedError {
    public var kind: FailureKind { .badInput }
}
