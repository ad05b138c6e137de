import CrateAppModel
import Foundation

/// Rows and states the reducer tests share.
enum Fixtures {
    static let home = ProfileRow(
        name: "home", location: "/srv/crate", encrypted: true, chunked: true, chunkSize: 4 << 20, isDefault: true,
        releases: 2, bytes: 1 << 30, unlocked: true)
    static let cloud = ProfileRow(
        name: "cloud", location: "s3://music @ http://s3", isS3: true, encrypted: true, chunked: false)
    static let empty = ProfileRow(name: "spare", location: "/srv/spare", encrypted: false, chunked: false)

    static let releases = [
        ReleaseRow(
            id: "aaaa1111", artist: "Björk", title: "Homogenic", year: 1997, totalBytes: 300, profiles: ["home"]),
        ReleaseRow(id: "bbbb2222", artist: "坂本龍一", title: "東京の夜", year: 1980, totalBytes: 500, profiles: ["home"]),
        ReleaseRow(
            id: "cccc3333", artist: "Arvo Pärt", title: "Tabula Rasa", year: 1984, totalBytes: 100, profiles: ["home"],
            label: "ECM New Series", catalogNumber: "ECM 1275"),
    ]

    static let review = ReleaseReview(
        path: "/music/Album", artist: "Björk", title: "Homogenic", year: 1997,
        tracks: [.init(path: "01.flac", number: 1, title: "Hunter", durationMs: 255_000)], profileName: "home",
        plan: .init(files: 3, bytes: 3 << 20, objects: 2, requests: 4, estimatedSeconds: 0.2))

    static func state(tab: State.Tab = .profiles) -> State {
        var state = State(folderPath: "/music")
        _ = reduce(&state, .profilesLoaded([home, cloud, empty]))
        _ = reduce(&state, .releasesLoaded(ReleaseIndex(releases)))
        state.tab = tab
        return state
    }
}

@discardableResult
func press(_ state: inout State, _ keys: Key...) -> [Effect] {
    keys.flatMap { reduce(&state, .keyPressed($0)) }
}

@discardableResult
func type(_ state: inout State, _ text: String) -> [Effect] {
    text.flatMap { reduce(&state, .keyPressed(.character($0))) }
}
