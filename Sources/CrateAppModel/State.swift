import Foundation

/// Everything the screens show, as one value. Only `reduce` changes it.
public struct State: Hashable, Sendable {
    public enum Tab: Int, CaseIterable, Hashable, Sendable {
        case profiles = 1
        case importer, releases

        public var title: String {
            switch self {
            case .profiles: "Profiles"
            case .importer: "Import"
            case .releases: "Releases"
            }
        }
    }

    /// A line for the status bar; errors show in the error colour until the next message.
    public struct Status: Hashable, Sendable {
        public var text: String
        public var isError: Bool

        public init(_ text: String, isError: Bool = false) {
            self.text = text
            self.isError = isError
        }
    }

    /// A question that needs a yes before its effect runs.
    public struct Confirmation: Hashable, Sendable {
        public var question: String
        public var effect: Effect
    }

    /// A one-line text prompt (export folder, passphrase, a folder to go to).
    public struct Prompt: Hashable, Sendable {
        public enum Purpose: Hashable, Sendable {
            case exportRelease(id: String)
            /// A hidden passphrase that unlocks an encrypted profile for this session; `then`
            /// is the work that asked for it, run once the profile is unlocked.
            case unlockProfile(name: String, then: Effect?)
            /// A folder to open in the browser, typed or pasted.
            case goToFolder
        }
        public var label: String
        public var text: String
        public var purpose: Purpose
        /// Why the last answer was refused (a wrong passphrase): shown in the dialog, which stays.
        public var error: String?
        /// The answer is being checked (a passphrase's key derivation takes a moment).
        public var checking = false

        public init(label: String, text: String = "", purpose: Purpose) {
            self.label = label
            self.text = text
            self.purpose = purpose
        }

        public var isSecret: Bool {
            if case .unlockProfile = purpose { return true }
            return false
        }
    }

    /// A list of profiles to choose one from (or, to delete a release, "every profile").
    public struct ProfilePicker: Hashable, Sendable {
        public enum Purpose: Hashable, Sendable {
            /// Where new imports go.
            case importTo
            /// Where to copy a release: profiles without a copy of it.
            case copyRelease(id: String)
            /// Which copy of a release to delete: its profiles, then every profile.
            case deleteRelease(id: String)
        }
        public var purpose: Purpose
        /// The profile names offered, in order; `nil` stands for every profile.
        public var choices: [String?]
        public var cursor: Int

        public init(purpose: Purpose, choices: [String?], cursor: Int = 0) {
            self.purpose = purpose
            self.choices = choices
            self.cursor = cursor
        }

        public var title: String {
            switch purpose {
            case .importTo: "Import to which profile?"
            case .copyRelease: "Copy to which profile?"
            case .deleteRelease: "Delete which copy?"
            }
        }
    }

    /// What sits on top of the current screen and takes the keys.
    public enum Modal: Hashable, Sendable {
        case profileForm(ProfileForm)
        case profilePicker(ProfilePicker)
        case confirm(Confirmation)
        case prompt(Prompt)
        /// How to stop a running import: pause (keep what it stored) or cancel (delete it).
        case stopImport(jobId: String)
        /// Quitting with imports running: they pause, to resume next time.
        case quitWhileImporting
    }

    public enum ImportFocus: Hashable, Sendable { case browser, queue }

    public var tab: Tab = .profiles
    public var modal: Modal?
    public var showingHelp = false
    /// The first help line shown (the help scrolls on a small terminal).
    public var helpScroll = 0
    public var status: Status?
    public var quitRequested = false
    /// The catalog's change counter when last seen (`Action.catalogChangeSeen`).
    public var catalogVersion: Int?

    // Profiles
    public var profiles: [ProfileRow] = []
    public var profilesLoaded = false
    public var profileCursor = 0

    // Import
    public var importFocus: ImportFocus = .browser
    public var folderPath: String
    public var folderEntries: [FolderEntry] = []
    public var folderCursor = 0
    /// The folder `←` came up from: the cursor goes back to it when the parent is listed.
    public var folderCameFrom: String?
    public var review: ReleaseReview?
    public var reviewing: String?
    /// The profile new imports go to: the default one unless the user picked another.
    public var chosenProfile: String?
    public var jobs: [ImportJob] = []
    public var jobCursor = 0
    public var chunkMapExpanded = true

    // Releases
    /// The releases with their search keys and sort orders.
    public var releaseIndex = ReleaseIndex()
    public var releases: [ReleaseRow] { releaseIndex.rows }
    public var releasesLoaded = false
    public var filter = ""
    public var filtering = false
    public var sort: ReleaseSort = .artist
    /// Indices into `releases` in sort order.
    public var sortedReleases: [Int] = []
    /// Indices into `releases` of the rows the filter lets through, in sort order.
    public var visibleReleases: [Int] = []
    public var releaseCursor = 0
    public var detail: ReleaseDetail?
    public var detailFocused = false
    public var fileCursor = 0
    /// Releases with a verify or export running, so the list can mark them.
    public var busyReleases: Set<String> = []
    /// Whether the detail pane shows covers. Off unless the composition root turns it on for a
    /// theme with colours: under `NO_COLOR` or `mono` no cover is drawn, so none is read.
    public var coverArt = false
    /// Covers read this session, by release id (the last `CoverCache.limit`).
    public var covers = CoverCache()

    public init(folderPath: String = "/") {
        self.folderPath = folderPath
    }

    public var selectedRelease: ReleaseRow? {
        visibleReleases.indices.contains(releaseCursor) ? releases[visibleReleases[releaseCursor]] : nil
    }

    public var selectedProfile: ProfileRow? {
        profiles.indices.contains(profileCursor) ? profiles[profileCursor] : nil
    }

    public var selectedJob: ImportJob? {
        jobs.indices.contains(jobCursor) ? jobs[jobCursor] : nil
    }

    /// The profile imports go to now: the chosen one, else the default.
    public var importProfile: String? {
        chosenProfile ?? profiles.first(where: \.isDefault)?.name
    }

    /// Whether a text field has the keyboard, so letters are text rather than commands.
    public var isTyping: Bool {
        switch modal {
        case .profileForm(let form): !form.focus.isToggle
        case .prompt: true
        default: filtering
        }
    }
}

/// How the release list is ordered; `s` cycles through them.
public enum ReleaseSort: String, CaseIterable, Hashable, Sendable {
    case artist, title, year, added, size

    var next: ReleaseSort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
