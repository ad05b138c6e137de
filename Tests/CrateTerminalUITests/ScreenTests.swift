import CrateAppModel
import Testing

@testable import CrateTerminalUI

@Suite("Cell grid: widths, combining marks, clipping")
struct ScreenTests {
    @Test func wideCharactersTakeTwoCellsWithAContinuation() {
        var screen = Screen(width: 10, height: 1)
        let used = screen.put("東京x", x: 0, y: 0)
        #expect(used == 5)
        #expect(screen[0, 0].text == "東")
        #expect(screen[1, 0].isContinuation)
        #expect(screen[2, 0].text == "京")
        #expect(screen[4, 0].text == "x")
        #expect(screen.line(0) == "東京x     ")
    }

    @Test func combiningMarksStayWithTheirBase() {
        var screen = Screen(width: 6, height: 1)
        screen.put("Bjo\u{308}rk", x: 0, y: 0)
        #expect(screen[2, 0].text == "o\u{308}")
        #expect(screen[3, 0].text == "r")
        var lone = Screen(width: 6, height: 1)
        lone.put("a", x: 0, y: 0)
        lone.put("\u{301}", x: 1, y: 0)
        #expect(lone[0, 0].text == "a")
    }

    @Test func aWideCharacterThatDoesNotFitBecomesASpace() {
        var screen = Screen(width: 3, height: 1)
        screen.put("a東京", x: 0, y: 0)
        #expect(screen.line(0) == "a東")
        var limited = Screen(width: 10, height: 1)
        limited.put("東京", x: 0, y: 0, limit: 3)
        #expect(limited.line(0).hasPrefix("東 "))
    }

    @Test func overwritingHalfOfAWideCharacterBlanksTheOtherHalf() {
        var screen = Screen(width: 4, height: 1)
        screen.put("東京", x: 0, y: 0)
        screen.put("x", x: 1, y: 0)
        #expect(screen.line(0) == " x京")
        screen.put("y", x: 2, y: 0)
        #expect(screen.line(0) == " xy ")
    }

    @Test func writesOutsideTheScreenAreIgnored() {
        var screen = Screen(width: 2, height: 1)
        #expect(screen.put("abc", x: 0, y: 5) == 0)
        screen.put("abc", x: 1, y: 0)
        #expect(screen.line(0) == " a")
    }

    @Test func tableKeepsTheSelectedRowInView() {
        #expect(scrollOffset(selected: 0, count: 100, visible: 10) == 0)
        #expect(scrollOffset(selected: 50, count: 100, visible: 10) == 45)
        #expect(scrollOffset(selected: 99, count: 100, visible: 10) == 90)
    }

    @Test func renderingIsPureAndEveryRowIsExactlyTheWidth() {
        let state = ScreenStates.detailPane(of: "b2c3d4e5f6071829")
        let a = render(state, width: 80, height: 24)
        #expect(a == render(state, width: 80, height: 24))
        for y in 0..<24 {
            let columns = (0..<80).reduce(0) {
                $0 + (a[$1, y].isContinuation ? 1 : max(1, a[$1, y].text.isEmpty ? 0 : 1))
            }
            #expect(columns == 80)
        }
    }

    @Test func theFooterShowsOnlyKeysThatWorkHere() {
        let releases = render(ScreenStates.releaseListFiltered, width: 80, height: 24).line(23)
        #expect(releases.contains("Esc clear"))
        #expect(!releases.contains("n new"))
        let profiles = render(ScreenStates.base(.profiles), width: 80, height: 24).line(23)
        #expect(profiles.contains("n new"))
    }

    @Test func keysDecodeFromCursesCodes() {
        #expect(CursesTerminal.decode(character: 27) == .escape)
        #expect(CursesTerminal.decode(character: 13) == .enter)
        #expect(CursesTerminal.decode(character: 127) == .backspace)
        #expect(CursesTerminal.decode(character: 3) == .control("c"))
        #expect(CursesTerminal.decode(character: 0x6771) == .character("東"))
    }
}
