import CrateImporter

/// Work the reducer asks for. The store runs each on a background task and sends the result
/// back as an `Action`; nothing here runs on the UI thread.
public enum Effect: Hashable, Sendable {
    case loadProfiles
    case loadReleases
    case loadReleaseDetail(id: String)
    /// Reads the cover file at `path` from a stored copy of the release (no passphrase is
    /// asked for: a locked profile's copy is skipped) and decodes it small.
    case loadCover(releaseId: String, path: String)
    case listFolder(path: String)
    case reviewFolder(path: String, profileName: String?)
    /// Checks the audio of the release folder under review; a new check, or `cancelAudioCheck`,
    /// stops the one running.
    case checkAudio(path: String)
    case cancelAudioCheck
    /// Records a job for the folder and runs it; `allowDamaged` imports damaged audio files
    /// anyway (the user was told, and said so), recorded on the release.
    case startImport(source: String, profileName: String, allowDamaged: Bool = false)
    /// Records a job for each release folder (queue rows at once) and runs them one at a time,
    /// in order.
    case startImports(sources: [String], profileName: String)
    case resumeImport(jobId: String)
    /// Stops a running import, keeping or deleting what it stored.
    case stopImport(jobId: String, ImportStop.Mode)
    case findUnfinishedJobs
    /// Reads the catalog's change counter, to notice other processes' imports and removals.
    case checkCatalog
    case saveProfile(ProfileDraft)
    case deleteProfile(name: String)
    case setDefaultProfile(name: String)
    case testProfile(name: String)
    /// Checks a passphrase against an encrypted profile's key and keeps it for this session.
    case unlockProfile(name: String, passphrase: String)
    case verifyRelease(id: String)
    case exportRelease(id: String, folder: String)
    /// Deletes the release's copy on `profile`, or every copy (the release) when `nil`.
    case deleteRelease(id: String, profile: String?)
    case copyRelease(id: String, toProfile: String)
}
