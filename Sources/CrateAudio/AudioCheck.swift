/// Whether an audio file is intact: the formats Crate checks, what a check finds, and the one
/// entry point that picks the checker for a file.
///
/// A check pulls the file's bytes through a `read` closure (the same contract as CrateStorage's
/// `ByteReader.read(upTo:)`: at most `maxCount` bytes, at least one, `[]` at the end), so it
/// can run over a local file or a stored copy alike and holds only a few MiB at a time.
public enum AudioCheck {
    /// Pulls the next bytes of a file: 1…`maxCount` of them, or `[]` once the file has ended.
    /// A `ByteReader`'s `read(upTo:)` is one as it stands.
    public typealias Read = (_ maxCount: Int) async throws -> [UInt8]

    /// A format Crate can check.
    public enum Kind: Sendable, Equatable {
        /// FLAC: every frame decoded with libFLAC, CRCs and the MD5 of the audio compared.
        case flac
        /// MPEG audio (MP3, and MP2/MP1 named .mp3): the chain of frame headers walked.
        case mp3
    }

    /// What a check found.
    public enum Result: Sendable, Equatable {
        /// The file decoded (FLAC) or walked (MP3) without a fault. `md5` is STREAMINFO's MD5 of
        /// the audio as lowercase hex for FLAC, which the decoded audio matched; nil for MP3.
        case intact(md5: String?)
        /// Nothing was found wrong, but the file carries nothing to check against (a FLAC
        /// stream without an MD5, a free-format MP3). `reason` is a sentence for the user.
        case cannotCheck(reason: String)
        /// The file is damaged; `reason` names the first fault found, for the user.
        case damaged(reason: String)
    }

    /// The checker for a file, by its extension (any case); nil for formats Crate does not check.
    public static func kind(forPath path: String) -> Kind? {
        let name = path.split(separator: "/").last ?? ""
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "flac": return .flac
        case "mp3": return .mp3
        default: return nil
        }
    }

    /// Checks a file of the given kind. Throws only what `read` throws, or `CancellationError`.
    public static func check(_ kind: Kind, read: Read) async throws -> Result {
        switch kind {
        case .flac: try await FLACCheck.check(read: read)
        case .mp3: try await MP3Check.check(read: read)
        }
    }
}
