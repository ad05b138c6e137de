import CrateCover
import CrateImporter

/// Why an effect failed, as the status line says it.
public struct EffectFailure: Error, Sendable, Hashable {
    public var message: String

    public init(_ message: String) { self.message = message }
    public init(_ error: any Error) { message = "\(error)" }
}

/// Something that happened: a key, or the result of an effect. Named for what happened.
public enum Action: Sendable {
    case started
    case keyPressed(Key)
    /// A second went by (the UI sends it): time to see whether another process changed the
    /// catalog.
    case tick
    /// The catalog's change counter (`Catalog.changesByOthers`); `nil` when it could not be read.
    case catalogChangeSeen(Int?)
    case statusPosted(String, isError: Bool)

    case profilesLoaded([ProfileRow])
    case profileSaved(name: String, message: String)
    case profileSaveFailed(String)
    case profileDeleted(name: String)
    case defaultProfileSet(name: String)
    case profileTested(name: String, Result<String, EffectFailure>)
    /// What became of a passphrase typed for a profile (a wrong one keeps the dialog open).
    case profileUnlocked(name: String, Result<String, EffectFailure>)

    case folderListed(path: String, entries: [FolderEntry])
    case folderReviewed(ReleaseReview)
    case reviewFailed(path: String, message: String)
    case audioChecked(path: String, Result<AudioPreflight, EffectFailure>)
    case importQueued(jobId: String, source: String, profileName: String)
    case unfinishedJobsFound([ImportJob])
    case importEventReceived(ImportEvent)

    case releasesLoaded(ReleaseIndex)
    case releaseDetailLoaded(ReleaseDetail)
    /// A release's cover, decoded small, or why it could not be read.
    case coverLoaded(releaseId: String, Result<CoverImage, EffectFailure>)
    /// A verify's report: success when every copy read back sound, else what was wrong.
    case releaseVerified(id: String, Result<String, EffectFailure>)
    /// What became of an export, a delete or a copy of release `id` (typed results: the
    /// reducer clears the release's busy mark, posts the message and reloads what changed).
    case releaseExported(id: String, folder: String, Result<Void, EffectFailure>)
    case releaseDeleted(id: String, profile: String?, Result<String, EffectFailure>)
    case releaseCopied(id: String, profile: String, Result<String, EffectFailure>)

    /// An effect failed; the message says what and why.
    case operationFailed(String)
}
