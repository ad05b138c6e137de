import CrateAppModel
import Foundation
import Testing

@Suite("Release index: folded keys and sort orders")
struct ReleaseIndexTests {
    static func row(_ id: String, _ artist: String, _ title: String, year: Int? = nil, bytes: Int64 = 0) -> ReleaseRow {
        ReleaseRow(id: id, artist: artist, title: title, year: year, totalBytes: bytes, profiles: ["home"])
    }

    static let index = ReleaseIndex([
        row("01", "Bjo\u{308}rk", "Vespertine", year: 2001, bytes: 3),  // decomposed ö
        row("02", "Sigur Rós", "Ágætis byrjun", year: 1999, bytes: 1),  // precomposed
        row("03", "ＹＭＯ", "Solid State Survivor", year: 1979, bytes: 2),  // full-width letters
        row("04", "坂本龍一", "音楽図鑑", year: 1984, bytes: 5),
        row("05", "ARVO PÄRT", "Tabula Rasa", bytes: 4),
    ])

    func matching(_ filter: String) -> [String] {
        let words = ReleaseIndex.words(of: filter)
        return Self.index.order(.artist).filter { Self.index.matches($0, all: words) }.map { Self.index.rows[$0].id }
    }

    @Test func foldingIgnoresCaseAccentsAndWidthInComposedAndDecomposedText() {
        #expect(matching("bjork") == ["01"])
        #expect(matching("BJÖRK") == ["01"])
        #expect(matching("agaetis") == [])  // æ is a letter of its own, not a ligature of "ae"
        #expect(matching("agætis") == ["02"])
        #expect(matching("ymo") == ["03"])
        #expect(matching("part tabula") == ["05"])
        #expect(matching("龍一 図鑑") == ["04"])
        #expect(matching("1984") == ["04"])
        #expect(matching("  ") == ["05", "01", "02", "03", "04"])
        #expect(matching("zzz") == [])
    }

    @Test func everySortHasItsOwnOrder() {
        let ids = { (sort: ReleaseSort) in Self.index.order(sort).map { Self.index.rows[$0].id } }
        #expect(ids(.artist) == ["05", "01", "02", "03", "04"])
        #expect(ids(.title) == ["02", "03", "05", "01", "04"])
        #expect(ids(.year) == ["05", "03", "04", "02", "01"])
        #expect(ids(.size) == ["04", "05", "01", "03", "02"])
    }
}
