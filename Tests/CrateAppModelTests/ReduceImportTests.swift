import CrateAppModel
import CrateImporter
import Testing

@Suite("reduce: Import screen, review, picker and queue")
struct ReduceImportTests {
    func browsing() -> State {
        var state = Fixtures.state(tab: .importer)
        _ = reduce(
            &state,
            .folderListed(
                path: "/music",
                entries: [
                    FolderEntry(name: "Album", isDirectory: true), FolderEntry(name: "a.txt", isDirectory: false),
                ]))
        return state
    }

    @Test func theBrowserOpensFoldersAndGoesUp() {
        var state = browsing()
        #expect(state.folderEntries.count == 2)
        #expect(press(&state, .right) == [.listFolder(path: "/music/Album")])
        #expect(press(&state, .left) == [.listFolder(path: "/")])
        press(&state, .down)
        #expect(press(&state, .enter).isEmpty)  // a file does not open
        #expect(press(&state, .character("r")) == [.listFolder(path: "/music")])
    }

    @Test func iReviewsTheSelectedFolderOnTheDefaultProfile() {
        var state = browsing()
        #expect(press(&state, .character("i")) == [.reviewFolder(path: "/music/Album", profileName: "home")])
        #expect(state.reviewing == "/music/Album")
        var stale = Fixtures.review
        stale.path = "/music/Other"
        _ = reduce(&state, .folderReviewed(stale))
        #expect(state.review == nil)  // for another folder: ignored
        let matching = Fixtures.review
        _ = reduce(&state, .folderReviewed(matching))
        #expect(state.review == matching)
        #expect(press(&state, .enter) == [.startImport(source: "/music/Album", profileName: "home")])
        #expect(state.review == nil)
    }

    /// A release with FLAC or MP3 files: the review asks for their audio check at once; damage
    /// found is said on the status line, and Enter asks before importing — yes imports with
    /// damage allowed (recorded on the release), no leaves the review as it was.
    @Test func damagedAudioFoundDuringTheReviewIsAskedAboutBeforeImporting() {
        var state = browsing()
        press(&state, .character("i"))
        var review = Fixtures.review
        review.audio = AudioPreflight(files: 1)
        #expect(reduce(&state, .folderReviewed(review)) == [.checkAudio(path: "/music/Album")])
        // A result for another folder (an earlier review) changes nothing.
        let damage = [DamagedAudioFile(path: "01.flac", reason: "frame 12: CRC mismatch")]
        _ = reduce(&state, .audioChecked(path: "/music/Other", .success(AudioPreflight(files: 1, isDone: true))))
        #expect(state.review?.audio?.isDone == false)
        _ = reduce(
            &state,
            .audioChecked(path: "/music/Album", .success(AudioPreflight(files: 1, isDone: true, damaged: damage))))
        #expect(state.review?.audio?.damaged == damage)
        #expect(state.status?.isError == true)
        #expect(state.status?.text.contains("1 damaged audio file") == true)

        #expect(press(&state, .enter).isEmpty)
        guard case .confirm(let confirmation) = state.modal else {
            Issue.record("no question asked: \(String(describing: state.modal))")
            return
        }
        #expect(confirmation.question.contains("01.flac"))
        #expect(press(&state, .character("n")).isEmpty)
        #expect(state.modal == nil && state.review != nil)
        press(&state, .enter)
        #expect(
            press(&state, .character("y")) == [
                .startImport(source: "/music/Album", profileName: "home", allowDamaged: true)
            ])
        #expect(state.review == nil && state.reviewing == nil)
    }

    /// Leaving the review, or importing before the check ends (the import checks again beside
    /// its transfer), stops the check; a result arriving after that is ignored.
    @Test func leavingOrImportingStopsTheReviewsAudioCheck() {
        var state = browsing()
        press(&state, .character("i"))
        var review = Fixtures.review
        review.audio = AudioPreflight(files: 3)
        _ = reduce(&state, .folderReviewed(review))
        #expect(press(&state, .escape) == [.cancelAudioCheck])
        _ = reduce(&state, .audioChecked(path: "/music/Album", .success(AudioPreflight(files: 3, isDone: true))))
        #expect(state.review == nil)

        press(&state, .character("i"))
        _ = reduce(&state, .folderReviewed(review))
        #expect(
            press(&state, .enter) == [.startImport(source: "/music/Album", profileName: "home"), .cancelAudioCheck])
        // A check that failed says why and no longer runs.
        press(&state, .character("i"))
        _ = reduce(&state, .folderReviewed(review))
        _ = reduce(&state, .audioChecked(path: "/music/Album", .failure(EffectFailure("01.flac: permission denied"))))
        #expect(state.review?.audio?.isDone == true)
        #expect(state.review?.audio?.failure == "01.flac: permission denied")
        #expect(press(&state, .escape).isEmpty)
    }

    /// A folder of releases reviewed as a batch: Enter queues every release found (none of the
    /// skipped folders), one effect for the lot; the rows appear as the jobs are recorded.
    @Test func enterOnABatchReviewQueuesEveryReleaseFound() {
        var state = browsing()
        press(&state, .character("i"))
        var review = Fixtures.review
        review.batch = ReleaseReview.Batch(
            releases: ["/music/Album/A", "/music/Album/B", "/music/Album/C"],
            skipped: [SkippedSource(path: "/music/Album/Scans", reason: "no audio files")])
        _ = reduce(&state, .folderReviewed(review))
        #expect(
            press(&state, .enter) == [
                .startImports(sources: ["/music/Album/A", "/music/Album/B", "/music/Album/C"], profileName: "home")
            ])
        #expect(state.review == nil)
        #expect(state.status?.text.contains("queued 3 releases") == true)
        for (index, source) in ["/music/Album/A", "/music/Album/B", "/music/Album/C"].enumerated() {
            _ = reduce(&state, .importQueued(jobId: "j\(index)", source: source, profileName: "home"))
        }
        #expect(state.jobs.map(\.phase) == [.queued, .queued, .queued])
    }

    /// A batch review with nothing importable says so instead of queueing nothing.
    @Test func aBatchWithNoReleaseQueuesNothing() {
        var state = browsing()
        press(&state, .character("i"))
        var review = Fixtures.review
        review.batch = ReleaseReview.Batch(
            releases: [], skipped: [SkippedSource(path: "/music/Album/Scans", reason: "no audio files")])
        _ = reduce(&state, .folderReviewed(review))
        #expect(press(&state, .enter).isEmpty)
        #expect(state.status?.isError == true)
    }

    @Test func reviewingWithoutProfilesSaysHowToMakeOne() {
        var state = State(folderPath: "/music")
        state.tab = .importer
        _ = reduce(&state, .profilesLoaded([]))
        #expect(press(&state, .character("i")).isEmpty)
        #expect(state.status?.isError == true)
        #expect(press(&state, .character("p")).isEmpty)
        #expect(state.modal == nil)
    }

    @Test func aFailedReviewShowsWhy() {
        var state = browsing()
        press(&state, .character("i"))
        _ = reduce(&state, .reviewFailed(path: "/music/Album", message: "cannot read: permission denied"))
        #expect(state.reviewing == nil)
        #expect(state.status == State.Status("cannot read: permission denied", isError: true))
    }

    @Test func thePickerChoosesTheProfileAndReviewsAgain() {
        var state = browsing()
        press(&state, .character("i"))
        press(&state, .character("p"))
        #expect(
            state.modal == .profilePicker(State.ProfilePicker(purpose: .importTo, choices: ["home", "cloud", "spare"])))
        press(&state, .down)
        let effects = press(&state, .enter)
        #expect(state.chosenProfile == "cloud")
        #expect(state.importProfile == "cloud")
        #expect(effects == [.reviewFolder(path: "/music/Album", profileName: "cloud")])
        press(&state, .character("p"))
        press(&state, .escape)
        #expect(state.modal == nil)
        #expect(state.chosenProfile == "cloud")
    }

    @Test func escDismissesTheReview() {
        var state = browsing()
        state.review = Fixtures.review
        press(&state, .escape)
        #expect(state.review == nil)
    }

    @Test func queuedJobsFollowTheirEventsToTheEnd() {
        var state = browsing()
        _ = reduce(&state, .importQueued(jobId: "j1", source: "/music/Album", profileName: "home"))
        #expect(state.jobs.map(\.id) == ["j1"])
        var plan = ImportPlan(
            files: [], spec: .init(name: "home", location: .local(path: "/x"), encrypted: false, chunked: true))
        plan.objects = 4
        plan.bytes = 100
        _ = reduce(&state, .importEventReceived(.planned(job: "j1", plan)))
        #expect(state.jobs[0].chunks == [.pending, .pending, .pending])
        _ = reduce(&state, .importEventReceived(.stage(job: "j1", .transfer)))
        #expect(state.jobs[0].chunks == [.reading, .pending, .pending])
        // Puts start and end out of order; the first object not begun is the one being read.
        _ = reduce(&state, .importEventReceived(.transfer(job: "j1", cell: 0, .started)))
        _ = reduce(&state, .importEventReceived(.transfer(job: "j1", cell: 1, .started)))
        #expect(state.jobs[0].chunks == [.inFlight, .inFlight, .reading])
        _ = reduce(&state, .importEventReceived(.transfer(job: "j1", cell: 1, .confirmed)))
        #expect(state.jobs[0].chunks == [.inFlight, .stored, .reading])
        // A retry names its object: that cell, not the first one in flight, shows it.
        let note = RetryNote(attempt: 1, maxAttempts: 6, reason: "503", cell: 0)
        _ = reduce(&state, .importEventReceived(.retry(job: "j1", note, operation: "PUT k")))
        #expect(state.jobs[0].chunks == [.retrying, .stored, .reading])
        #expect(state.jobs[0].progress.retries == 1)
        _ = reduce(&state, .importEventReceived(.transfer(job: "j1", cell: 0, .confirmed)))
        #expect(state.jobs[0].chunks == [.stored, .stored, .reading])
        // Recording an object for resume changes no cell; one found already stored is stored.
        _ = reduce(
            &state, .importEventReceived(.object(job: "j1", sequence: 0, key: "k", plaintextSize: 40, skipped: false)))
        #expect(state.jobs[0].chunks == [.stored, .stored, .reading])
        _ = reduce(&state, .importEventReceived(.transfer(job: "j1", cell: 2, .alreadyStored)))
        #expect(state.jobs[0].chunks == [.stored, .stored, .stored])
        var progress = ImportProgress()
        progress.bytesDone = 50
        progress.bytesTotal = 100
        _ = reduce(&state, .importEventReceived(.progress(job: "j1", progress)))
        #expect(state.jobs[0].progress.bytesDone == 50)
        _ = reduce(&state, .importEventReceived(.warning(job: "j1", "no year tag")))
        #expect(state.jobs[0].warnings == ["no year tag"])
        _ = reduce(&state, .importEventReceived(.progress(job: "other", progress)))
        let effects = reduce(&state, .importEventReceived(.finished(job: "j1", .committed(releaseId: "r1"))))
        #expect(effects == [.loadReleases, .loadProfiles])
        #expect(state.jobs[0].phase == .committed(releaseId: "r1"))
        #expect(state.jobs[0].chunks == [.stored, .stored, .stored])
    }

    @Test func aFailedJobMarksItsChunkAndShowsTheError() {
        var state = browsing()
        _ = reduce(&state, .importQueued(jobId: "j1", source: "/music/Album", profileName: "home"))
        var plan = ImportPlan(
            files: [], spec: .init(name: "home", location: .local(path: "/x"), encrypted: false, chunked: true))
        plan.objects = 3
        _ = reduce(&state, .importEventReceived(.planned(job: "j1", plan)))
        _ = reduce(&state, .importEventReceived(.stage(job: "j1", .transfer)))
        _ = reduce(&state, .importEventReceived(.finished(job: "j1", .failed(message: "403 Forbidden"))))
        #expect(state.jobs[0].chunks == [.failed, .pending])
        #expect(state.status?.isError == true)
        _ = reduce(&state, .importEventReceived(.finished(job: "j1", .duplicate(releaseId: "r0"))))
        #expect(state.jobs[0].phase == .duplicate(releaseId: "r0"))
    }

    @Test func theQueueCancelsRetriesAndClears() {
        var state = browsing()
        _ = reduce(&state, .importQueued(jobId: "j1", source: "/music/A", profileName: "home"))
        _ = reduce(&state, .importQueued(jobId: "j2", source: "/music/B", profileName: "home"))
        press(&state, .character("j"))
        #expect(state.importFocus == .queue)
        press(&state, .up)
        // c asks how to stop: Esc goes on, p pauses, d discards.
        #expect(press(&state, .character("c")).isEmpty)
        #expect(state.modal == .stopImport(jobId: "j1"))
        press(&state, .escape)
        #expect(state.modal == nil && state.jobs[0].phase == .queued)
        press(&state, .character("c"))
        #expect(press(&state, .character("p")) == [.stopImport(jobId: "j1", .pause)])
        #expect(state.jobs[0].phase == .pausing)
        #expect(press(&state, .character("c")).isEmpty && state.modal == nil)
        _ = reduce(&state, .importEventReceived(.finished(job: "j1", .paused)))
        #expect(state.jobs[0].phase == .paused)
        // A report that was on its way when the run ended changes nothing.
        let cells = state.jobs[0].chunks
        var late = ImportProgress()
        late.inFlight = [ObjectInFlight(cell: 0, files: ["a"], bytesTotal: 10)]
        _ = reduce(&state, .importEventReceived(.progress(job: "j1", late)))
        _ = reduce(&state, .importEventReceived(.transfer(job: "j1", cell: 0, .started)))
        #expect(state.jobs[0].chunks == cells && state.jobs[0].progress.inFlight.isEmpty)
        // A paused job resumes in place.
        #expect(press(&state, .character("r")) == [.resumeImport(jobId: "j1")])
        press(&state, .character("c"))
        #expect(press(&state, .character("d")) == [.stopImport(jobId: "j1", .cancel)])
        #expect(state.jobs[0].phase == .cancelling)
        _ = reduce(&state, .importEventReceived(.finished(job: "j1", .cancelled)))
        #expect(state.jobs[0].phase == .cancelled)
        #expect(press(&state, .character("r")) == [.startImport(source: "/music/A", profileName: "home")])
        #expect(state.jobs.map(\.id) == ["j2"])
        #expect(press(&state, .character("r")).isEmpty)  // still running
        _ = reduce(&state, .importEventReceived(.finished(job: "j2", .failed(message: "x"))))
        press(&state, .character("x"))
        #expect(state.jobs.isEmpty)
        press(&state, .character("m"))
        #expect(!state.chunkMapExpanded)
        press(&state, .escape)
        #expect(state.importFocus == .browser)
    }

    @Test func unfinishedJobsFromAnEarlierRunOfferResume() {
        var state = browsing()
        let job = ImportJob(id: "old", source: "/music/C", profileName: "home", phase: .interrupted)
        _ = reduce(&state, .unfinishedJobsFound([job]))
        _ = reduce(&state, .unfinishedJobsFound([job]))
        #expect(state.jobs.count == 1)
        #expect(state.status?.text.contains("r resumes") == true)
        press(&state, .character("j"))
        #expect(press(&state, .character("r")) == [.resumeImport(jobId: "old")])
        #expect(state.jobs[0].phase == .queued)
    }
}
