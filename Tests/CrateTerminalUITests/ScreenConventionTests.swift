import CrateAppModel
import Testing

@testable import CrateTerminalUI

/// Small conventions of the screens: the footer keeps a screen's own keys at 80 columns, the
/// help scrolls, tracks of a second disc are numbered as such.
@Suite("Screen conventions")
struct ScreenConventionTests {
    /// At 80 columns the hints every screen shares give way first: unlock, copy, delete and the
    /// queue's keys stay.
    @Test(arguments: [
        (State.Tab.profiles, "u unlock"), (State.Tab.releases, "d delete"), (State.Tab.releases, "c copy"),
        (State.Tab.importer, "j queue"),
    ])
    func theFooterKeepsTheScreensOwnKeys(tab: State.Tab, hint: String) {
        var state = ScreenStates.base(tab)
        state.status = nil
        let footer = render(state, width: 80, height: 24).line(23)
        #expect(footer.contains(hint), "\(footer)")
    }

    @Test func theHelpScrollsToItsLastKey() {
        var state = ScreenStates.base(.releases)
        _ = reduce(&state, .keyPressed(.character("?")))
        let top = render(state, width: 60, height: 18).text
        #expect(top.contains("↓ more"))
        #expect(!top.contains("delete a copy, or the whole release"))
        for _ in 0..<HelpText.lineCount { _ = reduce(&state, .keyPressed(.down)) }
        let bottom = render(state, width: 60, height: 18).text
        #expect(bottom.contains("↑ more"))
        #expect(bottom.contains("copy to another profile"))
        #expect(bottom.contains("delete a copy, or the whole release"))
        _ = reduce(&state, .keyPressed(.escape))
        #expect(!state.showingHelp)
    }

    @Test func aSecondDiscIsNumberedAsSuch() {
        var state = ScreenStates.base(.importer)
        _ = reduce(&state, .keyPressed(.character("i")))
        _ = reduce(
            &state,
            .folderReviewed(
                ReleaseReview(
                    path: state.reviewing ?? "", artist: "Miles Davis", title: "Bitches Brew", year: 1970,
                    tracks: [
                        .init(path: "CD1/01.flac", number: 1, title: "Pharaoh's Dance", durationMs: 1_200_000, disc: 1),
                        .init(path: "CD2/01.flac", number: 1, title: "Spanish Key", durationMs: 1_050_000, disc: 2),
                    ], profileName: "home",
                    plan: .init(files: 2, bytes: 1 << 20, objects: 3, requests: 6, estimatedSeconds: 1))))
        let text = render(state, width: 80, height: 24).text
        #expect(text.contains("1-01 Pharaoh's Dance"))
        #expect(text.contains("2-01 Spanish Key"))
    }
}
