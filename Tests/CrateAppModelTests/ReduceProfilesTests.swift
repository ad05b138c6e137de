import CrateAppModel
import CrateCore
import Testing

@Suite("reduce: Profiles screen and form")
struct ReduceProfilesTests {
    @Test func profilesLoadedFillTheTableAndClampTheCursor() {
        var state = Fixtures.state()
        state.profileCursor = 2
        _ = reduce(&state, .profilesLoaded([Fixtures.home]))
        #expect(state.profiles == [Fixtures.home])
        #expect(state.profileCursor == 0)
        #expect(state.profilesLoaded)
    }

    @Test func arrowsMoveTheSelection() {
        var state = Fixtures.state()
        press(&state, .down, .down, .down)
        #expect(state.profileCursor == 2)
        press(&state, .home)
        #expect(state.profileCursor == 0)
    }

    @Test func newFormOnAnEmptyCatalogMakesTheFirstProfileDefault() {
        var state = State()
        _ = reduce(&state, .profilesLoaded([]))
        press(&state, .character("n"))
        guard case .profileForm(let form) = state.modal else {
            Issue.record("no form")
            return
        }
        #expect(form.makeDefault)
        #expect(form.focus == .name)
    }

    @Test func formShowsAValidationErrorOnTheFieldAtFault() {
        var state = Fixtures.state()
        press(&state, .character("n"))
        type(&state, "nas")
        press(&state, .down, .down)
        type(&state, "relative/path")
        let effects = press(&state, .enter)
        #expect(effects.isEmpty)
        guard case .profileForm(let form) = state.modal else {
            Issue.record("no form")
            return
        }
        #expect(form.focus == .path)
        #expect(form.error == ProfileValidationError.relativePath("relative/path").description)
    }

    @Test func formRefusesDifferentPassphrasesAndBadChunkSizes() {
        var form = ProfileForm()
        form.name = "nas"
        form.path = "/srv/nas"
        form.passphrase = "one"
        form.confirmation = "two"
        #expect((try? form.validated().get()) == nil)
        if case .failure(let error) = form.validated() { #expect(error.field == .confirmation) }
        form.confirmation = "one"
        form.chunkSize = "3MiB"
        if case .failure(let error) = form.validated() { #expect(error.field == .chunkSize) }
        form.chunkSize = "128MiB"
        if case .failure(let error) = form.validated() { #expect(error.field == .chunkSize) }
        form.name = ""
        if case .failure(let error) = form.validated() { #expect(error.field == .name) }
    }

    @Test func aValidFormSavesItsDraftAndTheResultClosesIt() {
        var state = Fixtures.state()
        press(&state, .character("n"))
        type(&state, "nas")
        press(&state, .down, .down)
        type(&state, "/srv/nas")
        press(&state, .down, .down, .down)  // encrypted, chunked, chunk size
        press(&state, .control("u"))
        type(&state, "1MiB")
        press(&state, .down)
        type(&state, "pw")
        press(&state, .down)
        type(&state, "pw")
        let effects = press(&state, .enter)
        let spec = ProfileSpec(
            name: "nas", location: .local(path: "/srv/nas"), encrypted: true, chunked: true, chunkSize: 1 << 20)
        #expect(effects == [.saveProfile(ProfileDraft(spec: spec, passphrase: "pw", makeDefault: false))])
        guard case .profileForm(let form) = state.modal else {
            Issue.record("no form")
            return
        }
        #expect(form.saving)
        #expect(press(&state, .character("x")).isEmpty)
        let after = reduce(&state, .profileSaved(name: "nas", message: "created profile nas"))
        #expect(after == [.loadProfiles])
        #expect(state.modal == nil)
        #expect(state.status?.text == "created profile nas")
    }

    @Test func aFailedSaveKeepsTheFormOpenWithTheMessage() {
        var state = Fixtures.state()
        press(&state, .character("n"))
        _ = reduce(&state, .profileSaveFailed("cannot write into /srv"))
        guard case .profileForm(let form) = state.modal else {
            Issue.record("no form")
            return
        }
        #expect(form.error == "cannot write into /srv")
        _ = reduce(&state, .profileSaveFailed("late"))
        press(&state, .escape)
        #expect(state.modal == nil)
        _ = reduce(&state, .profileSaveFailed("late"))
        #expect(state.status == State.Status("late", isError: true))
    }

    @Test func spaceTogglesChoicesAndHidesFieldsThatDoNotApply() {
        var form = ProfileForm()
        var state = Fixtures.state()
        state.modal = .profileForm(form)
        press(&state, .down, .character(" "))
        guard case .profileForm(let toggled) = state.modal else {
            Issue.record("no form")
            return
        }
        form = toggled
        #expect(form.isS3)
        #expect(form.visibleFields.contains(.endpoint))
        #expect(!form.visibleFields.contains(.path))
    }

    @Test func editOpensTheFormFilledFromTheSelectedProfile() {
        var state = Fixtures.state()
        press(&state, .character("e"))
        guard case .profileForm(let form) = state.modal else {
            Issue.record("no form")
            return
        }
        #expect(form.editing == "home")
        #expect(form.path == "/srv/crate")
        #expect(!form.visibleFields.contains(.passphrase))
    }

    @Test func deleteIsRefusedWhileReleasesUseTheProfile() {
        var state = Fixtures.state()
        #expect(press(&state, .character("d")).isEmpty)
        #expect(state.modal == nil)
        #expect(state.status?.isError == true)
    }

    @Test func deleteAsksFirstAndRunsOnlyOnYes() {
        var state = Fixtures.state()
        press(&state, .end)
        press(&state, .character("d"))
        #expect(press(&state, .character("n")).isEmpty)
        #expect(state.modal == nil)
        press(&state, .character("d"))
        #expect(press(&state, .character("y")) == [.deleteProfile(name: "spare")])
        #expect(reduce(&state, .profileDeleted(name: "spare")) == [.loadProfiles])
    }

    @Test func setDefaultAndTestRunOnTheSelectedProfile() {
        var state = Fixtures.state()
        #expect(press(&state, .character("s")).isEmpty)  // already the default
        press(&state, .down)
        #expect(press(&state, .character("s")) == [.setDefaultProfile(name: "cloud")])
        #expect(press(&state, .character("r")) == [.loadProfiles])
        #expect(reduce(&state, .defaultProfileSet(name: "cloud")) == [.loadProfiles])
        press(&state, .down)
        #expect(press(&state, .character("t")) == [.testProfile(name: "spare")])
        _ = reduce(&state, .profileTested(name: "spare", .success("ok: write 3 ms")))
        #expect(state.status?.text == "profile spare: ok: write 3 ms")
        _ = reduce(&state, .profileTested(name: "spare", .failure(EffectFailure("folder gone"))))
        #expect(state.status == State.Status("profile spare failed its test: folder gone", isError: true))
    }
}

@Suite("reduce: unlocking an encrypted profile")
struct ReduceUnlockTests {
    @Test func uAsksForTheHiddenPassphraseAndUnlocks() {
        var state = Fixtures.state()
        press(&state, .character("u"))
        guard case .prompt(let prompt) = state.modal else {
            Issue.record("no prompt")
            return
        }
        #expect(prompt.isSecret)
        type(&state, "pw")
        #expect(press(&state, .enter) == [.unlockProfile(name: "home", passphrase: "pw")])
        #expect(reduce(&state, .profileUnlocked(name: "home", .success("unlocked profile home"))).isEmpty)
        #expect(state.modal == nil)
        press(&state, .end, .character("u"))
        #expect(state.modal == nil)  // a plain profile has nothing to unlock
    }

    /// Work that needs a locked profile asks for its passphrase right there, keeps asking after
    /// a wrong one, and goes on once it is unlocked.
    @Test func aLockedProfileAsksWhereTheWorkStartsAndTheWorkGoesOn() {
        var state = Fixtures.state(tab: .releases)
        let id = state.selectedRelease!.id
        press(&state, .character("c"))  // destinations: cloud (locked), spare
        #expect(press(&state, .enter).isEmpty)
        guard case .prompt(let prompt) = state.modal else {
            Issue.record("no passphrase dialog")
            return
        }
        #expect(prompt.purpose == .unlockProfile(name: "cloud", then: .copyRelease(id: id, toProfile: "cloud")))
        #expect(prompt.isSecret)
        #expect(!state.busyReleases.contains(id))
        // Enter on nothing: the dialog says what to do.
        #expect(press(&state, .enter).isEmpty)
        type(&state, "wrong")
        #expect(press(&state, .enter) == [.unlockProfile(name: "cloud", passphrase: "wrong")])
        // While it is checked the dialog stays and ignores typing.
        type(&state, "xyz")
        guard case .prompt(let checking) = state.modal else {
            Issue.record("the dialog closed while checking")
            return
        }
        #expect(checking.checking && checking.text.isEmpty)
        // A wrong passphrase: the dialog stays with the error; nothing ran.
        #expect(reduce(&state, .profileUnlocked(name: "cloud", .failure(EffectFailure("wrong passphrase")))).isEmpty)
        guard case .prompt(let refused) = state.modal else {
            Issue.record("the dialog closed on a wrong passphrase")
            return
        }
        #expect(refused.error == "wrong passphrase" && !refused.checking)
        #expect(state.profiles.first { $0.name == "cloud" }?.unlocked == false)
        type(&state, "right")
        #expect(press(&state, .enter) == [.unlockProfile(name: "cloud", passphrase: "right")])
        #expect(
            reduce(&state, .profileUnlocked(name: "cloud", .success("unlocked profile cloud")))
                == [.copyRelease(id: id, toProfile: "cloud")])
        #expect(state.modal == nil)
        #expect(state.busyReleases.contains(id))
        #expect(state.profiles.first { $0.name == "cloud" }?.unlocked == true)
        // Unlocked now: the next work on it does not ask.
        state.tab = .profiles
        state.profileCursor = 1
        #expect(press(&state, .character("t")) == [.testProfile(name: "cloud")])
    }

    @Test func escLeavesTheWorkUndone() {
        var state = Fixtures.state()
        press(&state, .down)
        #expect(press(&state, .character("t")).isEmpty)
        #expect(press(&state, .escape).isEmpty)
        #expect(state.modal == nil)
        #expect(state.status?.text == "profile cloud stays locked; nothing was done")
    }

    @Test func readingNeedsOnlyOneReadableCopy() {
        var state = Fixtures.state(tab: .releases)
        var rows = Fixtures.releases
        for index in rows.indices { rows[index].profiles = ["cloud"] }
        _ = reduce(&state, .releasesLoaded(ReleaseIndex(rows)))
        let id = state.selectedRelease!.id
        press(&state, .character("e"))
        type(&state, "/tmp/out")
        #expect(press(&state, .enter).isEmpty)
        guard case .prompt(let prompt) = state.modal, case .unlockProfile("cloud", _) = prompt.purpose else {
            Issue.record("no passphrase dialog for the only copy")
            return
        }
        press(&state, .escape)
        // With a copy on an unlocked profile too, the export goes ahead.
        for index in rows.indices { rows[index].profiles = ["cloud", "home"] }
        _ = reduce(&state, .releasesLoaded(ReleaseIndex(rows)))
        press(&state, .character("e"))
        type(&state, "/tmp/out")
        #expect(press(&state, .enter) == [.exportRelease(id: id, folder: "/tmp/out")])
    }

    @Test func resumingAJobOnALockedProfileAsksFirst() {
        var state = Fixtures.state(tab: .importer)
        _ = reduce(
            &state,
            .unfinishedJobsFound([ImportJob(id: "j1", source: "/m/A", profileName: "cloud", phase: .interrupted)]))
        press(&state, .character("j"))
        #expect(press(&state, .character("r")).isEmpty)
        guard case .prompt(let prompt) = state.modal else {
            Issue.record("no passphrase dialog")
            return
        }
        #expect(prompt.purpose == .unlockProfile(name: "cloud", then: .resumeImport(jobId: "j1")))
    }
}
