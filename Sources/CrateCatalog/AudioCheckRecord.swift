import Foundation

/// One audio check of one file, as the catalog keeps it (`files.audio_*`).
public struct AudioCheckRecord: Sendable, Hashable {
    /// STREAMINFO's MD5 of the audio (lowercase hex), when the file is FLAC and has one.
    public var md5: String?
    /// "intact", "cannot check: …" or "damaged: …": a sentence a user reads as it stands.
    public var result: String
    public var checkedAt: Date

    public init(md5: String?, result: String, checkedAt: Date = Date()) {
        self.md5 = md5
        self.result = result
        self.checkedAt = checkedAt
    }

    /// Whether the check found the file damaged.
    public var isDamaged: Bool { result.hasPrefix("damaged") }
}

/// A release copy as `crate verify --sample` chooses among them: the least recently verified first.
public struct CopyVerificationState: Sendable, Hashable {
    public var releaseId: String
    public var profileId: Int64
    public var profileName: String
    /// The release's size: what `--sample 2GiB` adds up.
    public var totalBytes: Int64
    public var verifiedAt: Date?
    public var verifyResult: String?

    public init(
        releaseId: String, profileId: Int64, profileName: String, totalBytes: Int64, verifiedAt: Date?,
        verifyResult: String?
    ) {
        self.releaseId = releaseId
        self.profileId = profileId
        self.profileName = profileName
        self.totalBytes = totalBytes
        self.verifiedAt = verifiedAt
        self.verifyResult = verifyResult
    }
}
