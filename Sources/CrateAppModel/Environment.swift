import CrateCore
import CrateCover
import CrateImporter

/// What effects need from the world, as closures: the live implementation (built from the
/// catalog and importer by the executable) and the tests' in-memory double fill the same slots.
public struct Environment: Sendable {
    public var loadProfiles: @Sendable () async throws -> [ProfileRow]
    public var loadReleases: @Sendable () async throws -> [ReleaseRow]
    public var loadReleaseDetail: @Sendable (String) async throws -> ReleaseDetail
    /// Reads a release's cover file from a copy that opens without asking for a passphrase and
    /// decodes it to fit 32×32 pixels.
    public var loadCover: @Sendable (_ releaseId: String, _ path: String) async throws -> CoverImage
    public var listFolder: @Sendable (String) async throws -> [FolderEntry]
    public var reviewFolder: @Sendable (_ path: String, _ profileName: String?) async throws -> ReleaseReview
    /// Checks the audio of a release folder's FLAC and MP3 files (`AudioPreflight.check`).
    public var checkAudio: @Sendable (_ path: String) async throws -> AudioPreflight
    /// Records a job for a folder on a profile and returns its id; `allowDamaged` lets the job
    /// commit with damaged audio.
    public var prepareImport:
        @Sendable (_ source: String, _ profileName: String, _ allowDamaged: Bool) async throws -> String
    /// Runs (or resumes) a job to its end, reporting every event. Cancelling the task stops it
    /// as `stop` says by then (pause or cancel).
    public var runImport:
        @Sendable (
            _ jobId: String, _ stop: ImportStop, _ onEvent: @escaping @Sendable (ImportEvent) async -> Void
        ) async -> ImportOutcome
    public var unfinishedJobs: @Sendable () async throws -> [ImportJob]
    /// The catalog's change counter (`Catalog.changesByOthers`).
    public var catalogChanges: @Sendable () async throws -> Int
    /// Saves a new or edited profile; returns the message for the status line.
    public var saveProfile: @Sendable (ProfileDraft) async throws -> String
    public var deleteProfile: @Sendable (String) async throws -> Void
    public var setDefaultProfile: @Sendable (String) async throws -> Void
    public var testProfile: @Sendable (String) async throws -> String
    public var unlockProfile: @Sendable (_ name: String, _ passphrase: String) async throws -> String
    /// Verifies every copy of a release (`ReleaseVerifier`); returns the message, or throws
    /// one naming what is wrong.
    public var verifyRelease: @Sendable (String) async throws -> String
    public var exportRelease: @Sendable (_ id: String, _ folder: String) async throws -> Void
    /// Removes the release's copy on the named profile, or every copy when `nil` (shared
    /// objects are kept); returns the message.
    public var deleteRelease: @Sendable (_ id: String, _ profile: String?) async throws -> String
    /// Copies a release to the named profile, verified; returns the message.
    public var copyRelease: @Sendable (_ id: String, _ toProfile: String) async throws -> String

    /// Every slot a test does not fill fails loudly (`EnvironmentError.notProvided`) instead of
    /// pretending the work succeeded; the loaders of lists start empty.
    public init(
        loadProfiles: @escaping @Sendable () async throws -> [ProfileRow] = { [] },
        loadReleases: @escaping @Sendable () async throws -> [ReleaseRow] = { [] },
        loadReleaseDetail: @escaping @Sendable (String) async throws -> ReleaseDetail = { _ in
            throw EnvironmentError.notProvided("loadReleaseDetail")
        },
        loadCover: @escaping @Sendable (String, String) async throws -> CoverImage = { _, _ in
            throw EnvironmentError.notProvided("loadCover")
        },
        listFolder: @escaping @Sendable (String) async throws -> [FolderEntry] = { _ in [] },
        reviewFolder: @escaping @Sendable (String, String?) async throws -> ReleaseReview = { _, _ in
            throw EnvironmentError.notProvided("reviewFolder")
        },
        checkAudio: @escaping @Sendable (String) async throws -> AudioPreflight = { _ in
            throw EnvironmentError.notProvided("checkAudio")
        },
        prepareImport: @escaping @Sendable (String, String, Bool) async throws -> String = { _, _, _ in
            throw EnvironmentError.notProvided("prepareImport")
        },
        runImport:
            @escaping @Sendable (String, ImportStop, @escaping @Sendable (ImportEvent) async -> Void) async ->
            ImportOutcome = { _, _, _ in .failed(message: EnvironmentError.notProvided("runImport").description) },
        unfinishedJobs: @escaping @Sendable () async throws -> [ImportJob] = { [] },
        catalogChanges: @escaping @Sendable () async throws -> Int = { 0 },
        saveProfile: @escaping @Sendable (ProfileDraft) async throws -> String = { _ in
            throw EnvironmentError.notProvided("saveProfile")
        },
        deleteProfile: @escaping @Sendable (String) async throws -> Void = { _ in
            throw EnvironmentError.notProvided("deleteProfile")
        },
        setDefaultProfile: @escaping @Sendable (String) async throws -> Void = { _ in
            throw EnvironmentError.notProvided("setDefaultProfile")
        },
        testProfile: @escaping @Sendable (String) async throws -> String = { _ in
            throw EnvironmentError.notProvided("testProfile")
        },
        unlockProfile: @escaping @Sendable (String, String) async throws -> String = { _, _ in
            throw EnvironmentError.notProvided("unlockProfile")
        },
        verifyRelease: @escaping @Sendable (String) async throws -> String = { _ in
            throw EnvironmentError.notProvided("verifyRelease")
        },
        exportRelease: @escaping @Sendable (String, String) async throws -> Void = { _, _ in
            throw EnvironmentError.notProvided("exportRelease")
        },
        deleteRelease: @escaping @Sendable (String, String?) async throws -> String = { _, _ in
            throw EnvironmentError.notProvided("deleteRelease")
        },
        copyRelease: @escaping @Sendable (String, String) async throws -> String = { _, _ in
            throw EnvironmentError.notProvided("copyRelease")
        }
    ) {
        self.loadProfiles = loadProfiles
        self.loadReleases = loadReleases
        self.loadReleaseDetail = loadReleaseDetail
        self.loadCover = loadCover
        self.listFolder = listFolder
        self.reviewFolder = reviewFolder
        self.checkAudio = checkAudio
        self.prepareImport = prepareImport
        self.runImport = runImport
        self.unfinishedJobs = unfinishedJobs
        self.catalogChanges = catalogChanges
        self.saveProfile = saveProfile
        self.deleteProfile = deleteProfile
        self.setDefaultProfile = setDefaultProfile
        self.testProfile = testProfile
        self.unlockProfile = unlockProfile
        self.verifyRelease = verifyRelease
        self.exportRelease = exportRelease
        self.deleteRelease = deleteRelease
        self.copyRelease = copyRelease
    }
}

/// Why an environment slot could not do its work.
public enum EnvironmentError: Error, CustomStringConvertible {
    /// The environment was built without this slot (a test that did not expect the call).
    case notProvided(String)

    public var description: String {
        switch self {
        case .notProvided(let slot): "the environment has no \(slot) (not provided)"
        }
    }
}
