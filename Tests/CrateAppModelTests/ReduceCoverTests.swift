import CrateAppModel
import CrateCover
import Testing

@Suite("reduce: covers in the detail pane")
struct ReduceCoverTests {
    static let red = CoverImage(width: 2, height: 2) { _, _ in .init(255, 0, 0) }

    static func detail(_ id: String, cover: String? = "cover.jpg") -> ReleaseDetail {
        ReleaseDetail(
            id: id, artist: "", title: "", files: [.init(path: "01.flac", size: 1)], copies: ["home"], cover: cover)
    }

    /// The Releases screen with covers on and the cursor on release `aaaa1111` (Björk).
    static func browsing() -> State {
        var state = Fixtures.state(tab: .releases)
        state.coverArt = true
        press(&state, .down)
        return state
    }

    @Test func aShownDetailAsksForItsCoverOnceAndKeepsIt() {
        var state = Self.browsing()
        #expect(
            reduce(&state, .releaseDetailLoaded(Self.detail("aaaa1111"))) == [
                .loadCover(releaseId: "aaaa1111", path: "cover.jpg")
            ])
        #expect(state.covers["aaaa1111"] == .loading)
        // A reload of the same detail (a tick, a verify) while the cover is on its way asks for nothing.
        #expect(reduce(&state, .releaseDetailLoaded(Self.detail("aaaa1111"))).isEmpty)
        _ = reduce(&state, .coverLoaded(releaseId: "aaaa1111", .success(Self.red)))
        #expect(state.covers["aaaa1111"] == .loaded(Self.red))
        // Away and back: the detail loads again, the cover comes from the cache.
        #expect(press(&state, .down) == [.loadReleaseDetail(id: "bbbb2222")])
        #expect(reduce(&state, .releaseDetailLoaded(Self.detail("bbbb2222", cover: nil))).isEmpty)
        #expect(press(&state, .up) == [.loadReleaseDetail(id: "aaaa1111")])
        #expect(reduce(&state, .releaseDetailLoaded(Self.detail("aaaa1111"))).isEmpty)
        #expect(state.covers["aaaa1111"] == .loaded(Self.red))
    }

    @Test func noCoverIsReadWhenCoversAreOffOrTheReleaseHasNone() {
        var state = Self.browsing()
        #expect(reduce(&state, .releaseDetailLoaded(Self.detail("aaaa1111", cover: nil))).isEmpty)
        // NO_COLOR or the mono theme: the composition root leaves covers off.
        state.coverArt = false
        #expect(reduce(&state, .releaseDetailLoaded(Self.detail("aaaa1111"))).isEmpty)
        #expect(state.covers.count == 0)
    }

    @Test func anUnreadableCoverIsNotAskedForAgainUntilAProfileIsUnlocked() {
        var state = Self.browsing()
        _ = reduce(&state, .releaseDetailLoaded(Self.detail("aaaa1111")))
        _ = reduce(&state, .coverLoaded(releaseId: "aaaa1111", .failure(EffectFailure("profile home is locked"))))
        #expect(state.covers["aaaa1111"] == .unavailable("profile home is locked"))
        #expect(reduce(&state, .releaseDetailLoaded(Self.detail("aaaa1111"))).isEmpty)
        let effects = reduce(&state, .profileUnlocked(name: "home", .success("unlocked profile home")))
        #expect(effects.contains(.loadCover(releaseId: "aaaa1111", path: "cover.jpg")))
    }

    @Test func theCacheKeepsTheLastThirtyTwoCovers() {
        var cache = CoverCache()
        for n in 0..<40 { cache["release-\(n)"] = .loaded(Self.red) }
        #expect(cache.count == CoverCache.limit)
        #expect(cache["release-7"] == nil)
        #expect(cache["release-8"] == .loaded(Self.red))
        #expect(cache["release-39"] == .loaded(Self.red))
    }
}
