import CrateAppModel
import Testing

@Suite("reduce: start, tabs, help, quit, status")
struct ReduceGlobalTests {
    @Test func startingLoadsEverythingTheScreensShow() {
        var state = State(folderPath: "/music")
        let effects = reduce(&state, .started)
        #expect(effects == [.loadProfiles, .loadReleases, .listFolder(path: "/music"), .findUnfinishedJobs])
    }

    @Test func numberKeysAndTabSwitchScreens() {
        var state = Fixtures.state()
        press(&state, .character("3"))
        #expect(state.tab == .releases)
        press(&state, .tab)
        #expect(state.tab == .profiles)
        press(&state, .backTab)
        #expect(state.tab == .releases)
        press(&state, .character("2"))
        #expect(state.tab == .importer)
    }

    @Test func helpOpensWithQuestionMarkAndSwallowsKeysUntilClosed() {
        var state = Fixtures.state()
        press(&state, .character("?"))
        #expect(state.showingHelp)
        press(&state, .character("3"))
        #expect(state.tab == .profiles)
        press(&state, .escape)
        #expect(!state.showingHelp)
    }

    @Test func qAndControlCQuit() {
        var state = Fixtures.state()
        press(&state, .character("q"))
        #expect(state.quitRequested)
        var other = Fixtures.state()
        press(&other, .control("c"))
        #expect(other.quitRequested)
    }

    @Test func statusMessagesAndFailuresShowOnTheStatusLine() {
        var state = Fixtures.state()
        _ = reduce(&state, .statusPosted("theme x.toml, line 3: bad", isError: true))
        #expect(state.status == State.Status("theme x.toml, line 3: bad", isError: true))
        _ = reduce(&state, .operationFailed("disk full"))
        #expect(state.status == State.Status("disk full", isError: true))
    }
}
