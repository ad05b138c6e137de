import CrateImporter

/// Something that happened: a key, or the result of an effect. Named for what happened.
public enum Action: Sendable {
    case started
    case keyPressed(Key)
    case statusPosted(String, isError: Bool)

    case profilesLoaded([ProfileRow])
    case profileSaved(name: String, message: String)
    case profileSaveFailed(String)
    case profileDeleted(name: String)
    case defaultProfileSet(name: String)
    case profileTested(name: String, message: String)

    case folderListed(path: String, entries: [FolderEntry])
    case folderReviewed(ReleaseReview)
    case reviewFailed(path: String, message: String)
    case importQueued(jobId: String, source: String, profileName: String)
    case unfinishedJobsFound([ImportJob])
    case importEventReceived(ImportEvent)

    case releasesLoaded(ReleaseIndex)
    case releaseDetailLoaded(ReleaseDetail)
    case releaseVerified(id: String, message: String)
    case releaseExported(id: String, folder: String)

    /// An effect failed; the message says what and why.
    case operationFailed(String)
}
