import CrateAppModel
import CrateTerminalUI
import Testing

@Suite("Golden screens at 80×24 and 132×43")
struct GoldenScreenTests {
    static let sizes = [(80, 24), (132, 43)]

    func check(_ state: State, _ name: String) {
        for (width, height) in Self.sizes {
            assertSnapshot(render(state, width: width, height: height), named: "\(name)-\(width)x\(height)")
        }
    }

    @Test func emptyCatalog() { check(ScreenStates.emptyCatalog, "empty-catalog") }
    @Test func profileFormWithAValidationError() { check(ScreenStates.profileFormWithError, "profile-form-error") }
    @Test func profilePicker() { check(ScreenStates.picker, "profile-picker") }
    @Test func runningJobWithChunkMap() { check(ScreenStates.runningJob, "running-job") }
    @Test func stopDialog() { check(ScreenStates.stopDialog, "stop-dialog") }
    @Test func stalledJobOfAThousandChunks() { check(ScreenStates.largeStalledJob, "stalled-1145-chunks") }
    @Test func failedJobWithItsError() { check(ScreenStates.failedJob, "failed-job") }
    /// A collection queued as a batch: the review lists releases and skipped folders, the queue
    /// an overall line.
    @Test func aQueuedTree() { check(ScreenStates.queuedTree, "queued-tree") }
    /// A release under review whose audio check found damage: the files and reasons, and the
    /// question Enter asks.
    @Test func reviewWithDamagedAudio() { check(ScreenStates.reviewWithDamagedAudio, "review-damaged-audio") }
    @Test func releaseListFiltered() { check(ScreenStates.releaseListFiltered, "releases-filtered") }
    @Test func detailPane() { check(ScreenStates.detailPane(of: "a1b2c3d4e5f60718"), "release-detail") }
    @Test func nonASCIIRelease() { check(ScreenStates.detailPane(of: "b2c3d4e5f6071829"), "release-non-ascii") }
    /// A release with two copies: the detail pane names both, wrapping rather than cutting.
    @Test func releaseWithTwoCopies() { check(ScreenStates.detailPane(of: "c3d4e5f607182930"), "release-two-copies") }
    @Test func helpOverlay() { check(ScreenStates.help, "help") }
    @Test func passphraseRefusedWhereTheWorkStarted() { check(ScreenStates.passphraseRefused, "passphrase-refused") }

    @Test func tooSmallTerminal() {
        assertSnapshot(render(ScreenStates.emptyCatalog, width: 50, height: 15), named: "too-small-50x15")
        let justEnough = render(ScreenStates.emptyCatalog, width: 60, height: 18)
        #expect(!justEnough.text.contains("too small"))
    }
}
