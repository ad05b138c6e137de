import CrateCore
import CrateImporter

/// What effects need from the world, as closures: the live implementation (built from the
/// catalog and importer by the executable) and the tests' in-memory double fill the same slots.
public struct Environment: Sendable {
    public var loadProfiles: @Sendable () async throws -> [ProfileRow]
    public var loadReleases: @Sendable () async throws -> [ReleaseRow]
    public var loadReleaseDetail: @Sendable (String) async throws -> ReleaseDetail
    public var listFolder: @Sendable (String) async throws -> [FolderEntry]
    public var reviewFolder: @Sendable (_ path: String, _ profileName: String?) async throws -> ReleaseReview
    /// Records a job for a folder on a profile and returns its id.
    public var prepareImport: @Sendable (_ source: String, _ profileName: String) async throws -> String
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
    /// Reads every file of a release back, checking each hash; returns the message.
    public var verifyRelease: @Sendable (String) async throws -> String
    public var exportRelease: @Sendable (_ id: String, _ folder: String) async throws -> Void
    /// Removes every copy of a release (shared objects are kept); returns the message.
    public var deleteRelease: @Sendable (String) async throws -> String
    /// Copies a release to the named profile, verified; returns the message.
    public var copyRelease: @Sendable (_ id: String, _ toProfile: String) async throws -> String

    public init(
        loadProfiles: @escaping @Sendable () async throws -> [ProfileRow] = { [] },
        loadReleases: @escaping @Sendable () async throws -> [ReleaseRow] = { [] },
        loadReleaseDetail: @escaping @Sendable (String) async throws -> ReleaseDetail = {
            ReleaseDetail(id: $0, artist: "", title: "", files: [], copies: [])
        },
        listFolder: @escaping @Sendable (String) async throws -> [FolderEntry] = { _ in [] },
        reviewFolder: @escaping @Sendable (String, String?) async throws -> ReleaseReview = { _, _ in
            throw EnvironmentError.unavailable("review")
        },
        prepareImport: @escaping @Sendable (String, String) async throws -> String = { _, _ in
            throw EnvironmentError.unavailable("import")
        },
        runImport:
            @escaping @Sendable (String, ImportStop, @escaping @Sendable (ImportEvent) async -> Void) async ->
            ImportOutcome = { _, _, _ in .cancelled },
        unfinishedJobs: @escaping @Sendable () async throws -> [ImportJob] = { [] },
        catalogChanges: @escaping @Sendable () async throws -> Int = { 0 },
        saveProfile: @escaping @Sendable (ProfileDraft) async throws -> String = { "saved \($0.spec.name)" },
        deleteProfile: @escaping @Sendable (String) async throws -> Void = { _ in },
        setDefaultProfile: @escaping @Sendable (String) async throws -> Void = { _ in },
        testProfile: @escaping @Sendable (String) async throws -> String = { _ in "ok" },
        unlockProfile: @escaping @Sendable (String, String) async throws -> String = { name, _ in "unlocked \(name)" },
        verifyRelease: @escaping @Sendable (String) async throws -> String = { _ in "ok" },
        exportRelease: @escaping @Sendable (String, String) async throws -> Void = { _, _ in },
        deleteRelease: @escaping @Sendable (String) async throws -> String = { _ in
            throw EnvironmentError.unavailable("deleting a release")
        },
        copyRelease: @escaping @Sendable (String, String) async throws -> String = { _, _ in
            throw EnvironmentError.unavailable("copying a release")
        }
    ) {
        self.loadProfiles = loadProfiles
        self.loadReleases = loadReleases
        self.loadReleaseDetail = loadReleaseDetail
        self.listFolder = listFolder
        self.reviewFolder = reviewFolder
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
    /// The feature is not in this build yet.
    case unavailable(String)

    public var description: String {
        switch self {
        case .unavailable(let what): "\(what) is not available yet; use the command line"
        }
    }
}
