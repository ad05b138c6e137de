import Testing

@testable import CrateCore

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("abc", 3), ("東京の夜", 8), ("Björk", 5), ("e\u{301}", 1), ("🎵", 2), ("한국어", 6), ("", 0), ("ｶ", 1),
        ("Ｆ", 2), ("❤️", 2),
    ])
    func measures(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }

    @Test func truncatesAndPadsByColumns() {
        #expect(DisplayWidth.truncate("東京の夜", to: 5) == "東京…")
        #expect(DisplayWidth.pad("東京", to: 6) == "東京  ")
        #expect(DisplayWidth.pad("abcdef", to: 4) == "abc…")
    }
}
