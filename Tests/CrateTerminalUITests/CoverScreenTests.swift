import CrateAppModel
import CrateCover
import Testing

@testable import CrateTerminalUI

@Suite("The cover in the detail pane")
struct CoverScreenTests {
    @Test func aCoverBesideTheHeaderAt132x43() {
        assertSnapshot(render(ScreenStates.detailWithCover, width: 132, height: 43), named: "release-cover-132x43")
    }

    /// 80×24 has no room beside the header: the pane is drawn as without a cover.
    @Test func noCoverWhereThereIsNoRoom() {
        let withCover = render(ScreenStates.detailWithCover, width: 80, height: 24)
        #expect(!withCover.cells.contains { $0.color != nil })
        #expect(withCover.text == render(ScreenStates.detailPane(of: "a1b2c3d4e5f60718"), width: 80, height: 24).text)
    }

    /// NO_COLOR and the mono theme leave covers off: a cached cover is not drawn either.
    @Test func noCoverWithoutColours() {
        var state = ScreenStates.detailWithCover
        state.coverArt = false
        let screen = render(state, width: 132, height: 43)
        #expect(!screen.cells.contains { $0.color != nil })
        #expect(!screen.text.contains("▀"))
        #expect(screen == render(ScreenStates.detailPane(of: "a1b2c3d4e5f60718"), width: 132, height: 43))
        #expect(!ThemeChoice.builtin("mono").hasColors)
        let noColor = ThemeChoice.resolve(
            option: "default", environment: ["NO_COLOR": "1"], configDirectory: "/nonexistent")
        #expect(!noColor.theme.hasColors)
        #expect(ThemeChoice.builtin("default").hasColors)
    }

    /// While the cover is read its place stays empty, so the text does not move when it comes.
    @Test func theCoversPlaceIsKeptWhileItLoads() {
        var state = ScreenStates.detailWithCover
        state.covers["a1b2c3d4e5f60718"] = .loading
        let loading = render(state, width: 132, height: 43)
        let loaded = render(ScreenStates.detailWithCover, width: 132, height: 43)
        #expect(!loading.cells.contains { $0.color != nil })
        for y in 0..<loading.height {
            #expect(
                loading.line(y).replacingOccurrences(of: "▀", with: " ")
                    == loaded.line(y).replacingOccurrences(of: "▀", with: " "))
        }
    }

    /// A cover that could not be read says why, in one dim line.
    @Test func anUnreadableCoverSaysWhy() {
        var state = ScreenStates.detailWithCover
        state.covers["a1b2c3d4e5f60718"] = .unavailable("profile home is encrypted and locked")
        let screen = render(state, width: 132, height: 43)
        #expect(screen.text.contains("Cover cover.jpg not shown: profile home is encrypted and locked"))
        #expect(!screen.cells.contains { $0.color != nil })
    }

    @Test func colorsAreQuantisedToTheCubeAndTheGreyRamp() {
        #expect(Palette256.index(of: .init(255, 0, 0)) == 196)
        #expect(Palette256.index(of: .init(0, 0, 0)) == 16)
        #expect(Palette256.index(of: .init(255, 255, 255)) == 231)
        #expect(Palette256.index(of: .init(128, 128, 128)) == 244)
        #expect(Palette256.basic(196) == 1)
        #expect(Palette256.basic(21) == 4)
    }
}
