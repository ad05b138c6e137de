import CrateAppModel
import CrateTerminalUI
import Foundation
import Testing

/// Not a test: with `CRATE_BENCH=1`, times what a keystroke costs while filtering 100,000
/// releases (reduce, then render a 132×43 frame), building their index (folded keys, artist
/// order) and loading it into the state. Prints the figures; asserts nothing about time.
/// `bench/tui` measures the same through the real binary against a real catalog.
@Suite("Benchmark: filtering 100k releases", .enabled(if: ProcessInfo.processInfo.environment["CRATE_BENCH"] == "1"))
struct FilterBenchmark {
    @Test func keystrokeToFrame() {
        let artists = ["Björk", "坂本龍一", "Arvo Pärt", "Miles Davis", "Nina Simone", "Aphex Twin", "Sigur Rós"]
        let rows = (0..<100_000).map { n in
            ReleaseRow(
                id: String(format: "%016x", n), artist: artists[n % artists.count] + " \(n % 997)",
                title: "Album \(n)", year: 1950 + n % 70, totalBytes: Int64(n) << 10, profiles: ["home"])
        }
        var state = State(folderPath: "/")
        state.tab = .releases
        let clock = ContinuousClock()
        var index = ReleaseIndex()
        let build = clock.measure { index = ReleaseIndex(rows) }
        let load = clock.measure { _ = reduce(&state, .releasesLoaded(index)) }
        let firstFrame = clock.measure { _ = render(state, width: 132, height: 43) }
        _ = reduce(&state, .keyPressed(.character("/")))
        var perKey: [Duration] = []
        for character in "bjork 42" {
            perKey.append(
                clock.measure {
                    _ = reduce(&state, .keyPressed(.character(character)))
                    _ = render(state, width: 132, height: 43)
                })
        }
        let sorted = perKey.sorted()
        print(
            "100k releases: index \(build), load \(load), first frame \(firstFrame), keystroke→frame median "
                + "\(sorted[sorted.count / 2]), worst \(sorted.last!), matches \(state.visibleReleases.count)")
    }
}
