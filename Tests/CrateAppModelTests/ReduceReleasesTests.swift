import CrateAppModel
import Testing

@Suite("reduce: Releases screen")
struct ReduceReleasesTests {
    @Test func theListIsSortedByArtistAndTheSortCycles() {
        var state = Fixtures.state(tab: .releases)
        #expect(state.visibleReleases.map { state.releases[$0].artist } == ["Arvo Pärt", "Björk", "坂本龍一"])
        press(&state, .character("s"))
        #expect(state.sort == .title)
        press(&state, .character("s"))
        #expect(state.sort == .year)
        #expect(state.visibleReleases.map { state.releases[$0].year } == [1980, 1984, 1997])
        press(&state, .character("s"), .character("s"))
        #expect(state.sort == .size)
        #expect(state.selectedRelease?.totalBytes == 500)
    }

    @Test func slashFiltersAsYouTypeIgnoringCaseAndAccents() {
        var state = Fixtures.state(tab: .releases)
        press(&state, .character("/"))
        #expect(state.filtering)
        let effects = type(&state, "bjo")
        #expect(state.visibleReleases.count == 1)
        #expect(state.selectedRelease?.id == "aaaa1111")
        #expect(effects.last == .loadReleaseDetail(id: "aaaa1111"))
        press(&state, .backspace, .backspace, .backspace)
        type(&state, "東京")
        #expect(state.selectedRelease?.id == "bbbb2222")
        press(&state, .enter)
        #expect(!state.filtering)
        #expect(state.filter == "東京")
        press(&state, .escape)
        #expect(state.filter.isEmpty)
        #expect(state.visibleReleases.count == 3)
        press(&state, .character("/"))
        type(&state, "zzz")
        #expect(state.visibleReleases.isEmpty)
        press(&state, .escape)
        #expect(!state.filtering && state.visibleReleases.count == 3)
        // Label and catalogue number are found too, as the CLI's search finds them.
        press(&state, .character("/"))
        type(&state, "ecm 1275")
        #expect(state.visibleReleases.map { state.releases[$0].id } == ["cccc3333"])
    }

    @Test func movingLoadsTheDetailAndStaleDetailsAreIgnored() {
        var state = Fixtures.state(tab: .releases)
        #expect(press(&state, .down) == [.loadReleaseDetail(id: "aaaa1111")])
        _ = reduce(
            &state, .releaseDetailLoaded(ReleaseDetail(id: "cccc3333", artist: "", title: "", files: [], copies: [])))
        #expect(state.detail == nil)
        let detail = ReleaseDetail(
            id: "aaaa1111", artist: "Björk", title: "Homogenic",
            files: [.init(path: "01.flac", size: 10), .init(path: "02.flac", size: 20)], copies: ["home"])
        _ = reduce(&state, .releaseDetailLoaded(detail))
        #expect(state.detail == detail)
        #expect(press(&state, .enter).isEmpty)
        #expect(state.detailFocused)
        press(&state, .down, .down)
        #expect(state.fileCursor == 1)
        press(&state, .escape)
        #expect(!state.detailFocused)
    }

    @Test func verifyRunsOnceAndReportsBack() {
        var state = Fixtures.state(tab: .releases)
        let id = state.selectedRelease!.id
        #expect(press(&state, .character("v")) == [.verifyRelease(id: id)])
        #expect(state.busyReleases == [id])
        #expect(press(&state, .character("v")).isEmpty)
        _ = reduce(&state, .releaseVerified(id: id, .success("verified 3 files")))
        #expect(state.busyReleases.isEmpty)
        #expect(state.status?.text == "verified 3 files")
        press(&state, .character("v"))
        _ = reduce(&state, .releaseVerified(id: id, .failure(EffectFailure("1 problem on home: object missing"))))
        #expect(state.busyReleases.isEmpty)
        #expect(state.status?.isError == true)
        #expect(state.status?.text.hasSuffix("FAILED: 1 problem on home: object missing") == true)
    }

    @Test func exportAsksForAnAbsoluteFolder() {
        var state = Fixtures.state(tab: .releases)
        let id = state.selectedRelease!.id
        press(&state, .character("e"))
        type(&state, "relative")
        #expect(press(&state, .enter).isEmpty)
        #expect(state.status?.isError == true)
        press(&state, .character("e"))
        type(&state, "/tmp/out")
        #expect(press(&state, .enter) == [.exportRelease(id: id, folder: "/tmp/out")])
        _ = reduce(&state, .releaseExported(id: id, folder: "/tmp/out", .success(())))
        #expect(state.status?.text.hasPrefix("exported Arvo Pärt") == true)
        #expect(!state.busyReleases.contains(id))
        // A failed export clears the busy mark too, and says why.
        press(&state, .character("e"))
        type(&state, "/tmp/full")
        press(&state, .enter)
        #expect(state.busyReleases.contains(id))
        _ = reduce(&state, .releaseExported(id: id, folder: "/tmp/full", .failure(EffectFailure("no space left"))))
        #expect(!state.busyReleases.contains(id))
        #expect(state.status == State.Status("export of Arvo Pärt – Tabula Rasa failed: no space left", isError: true))
        press(&state, .character("e"), .escape)
        #expect(state.modal == nil)
    }

    @Test func deleteAsksAndCopyPicksAProfileWithoutACopy() {
        var state = Fixtures.state(tab: .releases)
        let id = state.selectedRelease!.id
        press(&state, .character("d"))
        #expect(press(&state, .character("y")) == [.deleteRelease(id: id, profile: nil)])
        #expect(state.busyReleases.contains(id))
        state.busyReleases = []
        // The release is on home: the picker offers the others.
        press(&state, .character("c"))
        #expect(
            state.modal
                == .profilePicker(State.ProfilePicker(purpose: .copyRelease(id: id), choices: ["cloud", "spare"])))
        press(&state, .escape)
        #expect(state.modal == nil)
        press(&state, .character("c"), .down)
        #expect(press(&state, .enter) == [.copyRelease(id: id, toProfile: "spare")])
        #expect(state.busyReleases.contains(id))
        #expect(press(&state, .character("r")) == [.loadReleases])
    }

    @Test func aReleaseOnEveryProfileHasNowhereToBeCopied() {
        var state = Fixtures.state(tab: .releases)
        var rows = Fixtures.releases
        for index in rows.indices { rows[index].profiles = ["cloud", "home", "spare"] }
        _ = reduce(&state, .releasesLoaded(ReleaseIndex(rows)))
        press(&state, .character("c"))
        #expect(state.modal == nil)
        #expect(state.status?.text.hasPrefix("every profile already holds a copy") == true)
    }

    /// A release with several copies: `d` asks which, and one copy goes (the release stays).
    @Test func deleteCanRemoveOneCopy() {
        var state = Fixtures.state(tab: .releases)
        var rows = Fixtures.releases
        for index in rows.indices { rows[index].profiles = ["home", "spare"] }
        _ = reduce(&state, .releasesLoaded(ReleaseIndex(rows)))
        let id = state.selectedRelease!.id
        press(&state, .character("d"))
        #expect(
            state.modal
                == .profilePicker(
                    State.ProfilePicker(purpose: .deleteRelease(id: id), choices: ["home", "spare", nil])))
        press(&state, .down, .enter)
        guard case .confirm(let confirmation) = state.modal else {
            Issue.record("no confirmation")
            return
        }
        #expect(confirmation.question.contains("on spare? The copy on home stays."))
        #expect(press(&state, .character("y")) == [.deleteRelease(id: id, profile: "spare")])
        state.detail = ReleaseDetail(id: id, artist: "A", title: "T", files: [], copies: ["home", "spare"])
        #expect(
            reduce(&state, .releaseDeleted(id: id, profile: "spare", .success("deleted from spare")))
                == [.loadReleases, .loadProfiles, .loadReleaseDetail(id: id)])
        #expect(state.detail != nil)
        #expect(!state.busyReleases.contains(id))
        // The last choice is the whole release.
        press(&state, .character("d"), .end, .enter)
        #expect(press(&state, .character("y")) == [.deleteRelease(id: id, profile: nil)])
    }

    /// Effect results are typed: the reducer clears the busy mark and reloads what changed.
    @Test func deleteAndCopyResultsReloadWhatChanged() {
        var state = Fixtures.state(tab: .releases)
        let id = state.selectedRelease!.id
        press(&state, .enter)
        #expect(state.detail == nil || state.detail?.id == id)
        state.detail = ReleaseDetail(id: id, artist: "A", title: "T", files: [], copies: [])
        state.busyReleases.insert(id)
        #expect(
            reduce(&state, .releaseCopied(id: id, profile: "cloud", .success("copied to cloud")))
                == [.loadReleases, .loadProfiles, .loadReleaseDetail(id: id)])
        #expect(!state.busyReleases.contains(id))
        #expect(state.status == State.Status("copied to cloud"))
        #expect(
            reduce(&state, .releaseCopied(id: id, profile: "cloud", .failure(EffectFailure("bucket gone")))).isEmpty)
        #expect(state.status?.isError == true && state.status?.text.hasSuffix("failed: bucket gone") == true)
        state.busyReleases.insert(id)
        #expect(
            reduce(&state, .releaseDeleted(id: id, profile: nil, .success("removed"))) == [
                .loadReleases, .loadProfiles,
            ])
        #expect(state.detail == nil)
        #expect(!state.busyReleases.contains(id))
        #expect(
            reduce(&state, .releaseDeleted(id: id, profile: nil, .failure(EffectFailure("store locked"))))
                == [.loadReleases, .loadProfiles, .loadReleaseDetail(id: id)])
        #expect(state.status == State.Status("delete failed: store locked", isError: true))
    }

    @Test func reloadingKeepsTheSelectedRelease() {
        var state = Fixtures.state(tab: .releases)
        press(&state, .end)
        let selected = state.selectedRelease?.id
        _ = reduce(&state, .releasesLoaded(ReleaseIndex(Fixtures.releases.reversed())))
        #expect(state.selectedRelease?.id == selected)
    }
}

/// The UI notices what other processes did to the catalog.
@Suite("reduce: live catalog")
struct ReduceLiveCatalogTests {
    @Test func aChangeByAnotherProcessReloadsKeepingTheSelection() {
        var state = Fixtures.state(tab: .releases)
        #expect(reduce(&state, .tick) == [.checkCatalog])
        // The first reading reloads too (a change just before it would be missed otherwise);
        // the same value again changes nothing.
        let selected = state.selectedRelease!.id
        #expect(
            reduce(&state, .catalogChangeSeen(7)) == [.loadReleases, .loadProfiles, .loadReleaseDetail(id: selected)])
        #expect(reduce(&state, .catalogChangeSeen(7)).isEmpty)
        #expect(reduce(&state, .catalogChangeSeen(nil)).isEmpty)
        #expect(
            reduce(&state, .catalogChangeSeen(8))
                == [.loadReleases, .loadProfiles, .loadReleaseDetail(id: selected)])
        #expect(state.catalogVersion == 8)
    }
}
