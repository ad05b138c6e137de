import CrateAppModel
import CrateCover
import CrateImporter
import Foundation

/// The states the golden screens show, built through `reduce` as the app would reach them.
enum ScreenStates {
    static let home = ProfileRow(
        name: "home", location: "/srv/crate", encrypted: true, chunked: true, chunkSize: 4 << 20, isDefault: true,
        releases: 12, bytes: 6_442_450_944, unlocked: true)
    static let cloud = ProfileRow(
        name: "cloud", location: "s3://music/crate @ https://s3.eu-west-1.amazonaws.com", isS3: true,
        encrypted: true, chunked: false, releases: 3, bytes: 1_610_612_736)
    static let plain = ProfileRow(name: "usb-disk", location: "/media/usb/archive", encrypted: false, chunked: false)

    static let releases = [
        ReleaseRow(
            id: "a1b2c3d4e5f60718", artist: "Björk", title: "Homogenic", year: 1997, totalBytes: 300 << 20,
            profiles: ["home"]),
        ReleaseRow(
            id: "b2c3d4e5f6071829", artist: "坂本龍一", title: "東京の夜", year: 1980, totalBytes: 500 << 20, profiles: ["home"]
        ),
        ReleaseRow(
            id: "c3d4e5f607182930", artist: "Arvo Pärt", title: "Tabula Rasa", year: 1984, totalBytes: 100 << 20,
            profiles: ["home", "cloud"]),
        ReleaseRow(
            id: "d4e5f60718293041", artist: "Bjo\u{308}rk Guðmundsdóttir", title: "Tōkyō Sessions", year: 2004,
            totalBytes: 107 << 10, profiles: ["home"]),
        ReleaseRow(
            id: "e5f6071829304152", artist: "Miles Davis", title: "Kind of Blue", year: 1959, totalBytes: 250 << 20,
            profiles: ["cloud"]),
    ]

    static func base(_ tab: State.Tab) -> State {
        var state = State(folderPath: "/home/ada/Music")
        _ = reduce(&state, .profilesLoaded([home, cloud, plain]))
        _ = reduce(&state, .releasesLoaded(ReleaseIndex(releases)))
        _ = reduce(
            &state,
            .folderListed(
                path: "/home/ada/Music",
                entries: [
                    FolderEntry(name: "Björk - Homogenic (1997)", isDirectory: true),
                    FolderEntry(name: "坂本龍一 - 東京の夜", isDirectory: true),
                    FolderEntry(name: "Miles Davis - Kind of Blue", isDirectory: true),
                    FolderEntry(name: "notes.txt", isDirectory: false, size: 1234),
                ]))
        state.tab = tab
        return state
    }

    static var emptyCatalog: State {
        var state = State(folderPath: "/")
        _ = reduce(&state, .profilesLoaded([]))
        _ = reduce(&state, .releasesLoaded(ReleaseIndex([])))
        return state
    }

    static var profileFormWithError: State {
        var state = emptyCatalog
        for key: Key in [.character("n"), .character("n"), .character("a"), .character("s"), .down, .down] {
            _ = reduce(&state, .keyPressed(key))
        }
        for c in "music/archive" { _ = reduce(&state, .keyPressed(.character(c))) }
        _ = reduce(&state, .keyPressed(.enter))
        return state
    }

    /// A copy to the locked cloud profile asked for its passphrase; the first one was wrong.
    static var passphraseRefused: State {
        var state = base(.releases)
        for key: Key in [.down, .character("c"), .enter] { _ = reduce(&state, .keyPressed(key)) }
        for c in "guess" { _ = reduce(&state, .keyPressed(.character(c))) }
        _ = reduce(&state, .keyPressed(.enter))
        _ = reduce(
            &state,
            .profileUnlocked(
                name: "cloud", .failure(EffectFailure("wrong passphrase for profile cloud; try again or Esc"))))
        return state
    }

    static var picker: State {
        var state = base(.importer)
        _ = reduce(&state, .keyPressed(.character("p")))
        _ = reduce(&state, .keyPressed(.down))
        return state
    }

    /// A release under review whose audio check found two damaged FLACs and one without an MD5.
    static var reviewWithDamagedAudio: State {
        var state = base(.importer)
        _ = reduce(&state, .keyPressed(.character("i")))
        let path = state.reviewing ?? "/music/Album"
        let tracks = (1...6).map { (index: Int) in
            ReleaseReview.Track(path: "0\(index).flac", number: index, title: "Track \(index)", durationMs: 200_000)
        }
        _ = reduce(
            &state,
            .folderReviewed(
                ReleaseReview(
                    path: path, artist: "Björk", title: "Homogenic", year: 1997, tracks: tracks, cover: "cover.jpg",
                    profileName: "home",
                    plan: .init(files: 7, bytes: 180 << 20, objects: 46, requests: 92, estimatedSeconds: 9),
                    audio: AudioPreflight(files: 6))))
        _ = reduce(
            &state,
            .audioChecked(
                path: path,
                .success(
                    AudioPreflight(
                        files: 6, isDone: true,
                        damaged: [
                            DamagedAudioFile(path: "03.flac", reason: "the audio's MD5 differs from STREAMINFO's"),
                            DamagedAudioFile(path: "05.flac", reason: "truncated: ends inside frame 1,204"),
                        ], uncheckable: 1))))
        return state
    }

    static func plan(objects: Int, bytes: Int64) -> ImportPlan {
        var plan = ImportPlan(
            files: [], spec: .init(name: "home", location: .local(path: "/srv/crate"), encrypted: true, chunked: true))
        plan.objects = objects
        plan.bytes = bytes
        return plan
    }

    static var runningJob: State {
        var state = base(.importer)
        _ = reduce(&state, .keyPressed(.character("i")))
        _ = reduce(
            &state,
            .folderReviewed(
                ReleaseReview(
                    path: "/home/ada/Music/Björk - Homogenic (1997)", artist: "Björk", title: "Homogenic", year: 1997,
                    tracks: [
                        .init(path: "01.flac", number: 1, title: "Hunter", durationMs: 255_000),
                        .init(path: "02.flac", number: 2, title: "Jóga", durationMs: 305_000),
                        .init(path: "03.flac", number: 3, title: "Unravel", durationMs: 201_000),
                    ], cover: "cover.jpg", profileName: "home",
                    plan: .init(files: 14, bytes: 300 << 20, objects: 76, requests: 152, estimatedSeconds: 0.9),
                    catalogNote: "in the catalog on cloud (a1b2c3d4e5f6): importing adds a copy on home")))
        _ = reduce(
            &state,
            .importQueued(jobId: "j1", source: "/home/ada/Music/Miles Davis - Kind of Blue", profileName: "home"))
        _ = reduce(&state, .importEventReceived(.planned(job: "j1", plan(objects: 64, bytes: 250 << 20))))
        _ = reduce(&state, .importEventReceived(.stage(job: "j1", .transfer)))
        for sequence in 0..<23 {
            _ = reduce(
                &state,
                .importEventReceived(.transfer(job: "j1", cell: sequence, .confirmed)))
        }
        for cell in 23..<27 { _ = reduce(&state, .importEventReceived(.transfer(job: "j1", cell: cell, .started))) }
        let note = RetryNote(attempt: 2, maxAttempts: 6, reason: "503 SlowDown", cell: 24)
        _ = reduce(&state, .importEventReceived(.retry(job: "j1", note, operation: "PUT k")))
        var progress = ImportProgress()
        progress.bytesDone = 96 << 20
        progress.bytesTotal = 250 << 20
        progress.objectsDone = 23
        progress.objectsTotal = 64
        progress.retries = 1
        progress.bytesPerSecond = 41_943_040
        progress.inFlight = [
            ObjectInFlight(cell: 23, files: ["05 So What.flac"], bytesSent: 3 << 20, bytesTotal: 4 << 20),
            ObjectInFlight(cell: 24, files: ["05 So What.flac"], bytesTotal: 4 << 20, failedAttempt: 2),
            ObjectInFlight(cell: 25, files: ["05 So What.flac", "06 Flamenco Sketches.flac"], bytesTotal: 4 << 20),
            ObjectInFlight(cell: 26, files: ["06 Flamenco Sketches.flac"], bytesSent: 1 << 20, bytesTotal: 4 << 20),
        ]
        _ = reduce(&state, .importEventReceived(.progress(job: "j1", progress)))
        _ = reduce(&state, .keyPressed(.character("j")))
        return state
    }

    /// `c` on the running job: pause or discard?
    static var stopDialog: State {
        var state = runningJob
        _ = reduce(&state, .keyPressed(.character("c")))
        return state
    }

    /// 1,145 chunks of 256 KiB on a throttled line: 534 stored, 39 in flight (one retrying),
    /// nothing moved for 12 s.
    static var largeStalledJob: State {
        var state = base(.importer)
        _ = reduce(
            &state,
            .importQueued(jobId: "j3", source: "/home/ada/Music/Sun Ra - Space Is the Place", profileName: "cloud"))
        _ = reduce(&state, .importEventReceived(.planned(job: "j3", plan(objects: 1146, bytes: 300_000_000))))
        _ = reduce(&state, .importEventReceived(.stage(job: "j3", .transfer)))
        var progress = ImportProgress()
        progress.bytesTotal = 300_000_000
        progress.objectsTotal = 1146
        for cell in 0..<573 {
            _ = reduce(&state, .importEventReceived(.transfer(job: "j3", cell: cell, .started)))
            // Acknowledgements come out of order: every 14th of these is still on its way.
            guard cell % 14 != 5 else {
                progress.inFlight.append(
                    ObjectInFlight(
                        cell: cell, files: ["0\(cell / 120 + 1) Track.flac"], bytesSent: Int64(cell % 8) << 15,
                        bytesTotal: 256 << 10, failedAttempt: cell == 61 ? 3 : nil))
                continue
            }
            _ = reduce(&state, .importEventReceived(.transfer(job: "j3", cell: cell, .confirmed)))
            progress.bytesDone += 256 << 10
            progress.objectsDone += 1
        }
        let note = RetryNote(attempt: 3, maxAttempts: 6, reason: "connection refused", cell: 61)
        _ = reduce(&state, .importEventReceived(.retry(job: "j3", note, operation: "PUT k")))
        progress.retries = 3
        progress.retry = note
        progress.bytesPerSecond = 0
        progress.stalledSeconds = 12.4
        _ = reduce(&state, .importEventReceived(.progress(job: "j3", progress)))
        _ = reduce(&state, .keyPressed(.character("j")))
        return state
    }

    /// A collection reviewed as a batch (two folders left out), queued: the first release done,
    /// the second storing, the rest waiting; the queue's overall line above its rows.
    static var queuedTree: State {
        var state = base(.importer)
        _ = reduce(&state, .keyPressed(.character("i")))
        let root = "/home/ada/Music"
        let albums = [
            "Björk/Homogenic (1997)", "Björk/Vespertine (2001)", "Miles Davis/Kind of Blue",
            "Nina Simone/Pastel Blues", "Radiohead/OK Computer",
        ]
        let reviewing = state.reviewing ?? root
        _ = reduce(
            &state,
            .folderReviewed(
                ReleaseReview(
                    path: reviewing, artist: "5 releases", title: "Music", tracks: [],
                    warnings: ["Radiohead/OK Computer: disc folders CD1, CD2 are one release"], profileName: "home",
                    plan: .init(files: 61, bytes: 1_610 << 20, objects: 412, requests: 824, estimatedSeconds: 41),
                    batch: .init(
                        releases: albums.map { reviewing + "/" + $0 },
                        skipped: [
                            .init(path: reviewing + "/Scans", reason: "no audio files"),
                            .init(path: reviewing + "/Broken Album", reason: "01.flac is a FIFO, not a file"),
                        ]))))
        for (index, album) in albums.enumerated() {
            _ = reduce(
                &state, .importQueued(jobId: "t\(index)", source: root + "/" + album, profileName: "home"))
        }
        _ = reduce(&state, .importEventReceived(.planned(job: "t0", plan(objects: 80, bytes: 320 << 20))))
        _ = reduce(&state, .importEventReceived(.finished(job: "t0", .committed(releaseId: "a1b2c3d4e5f6"))))
        var done = ImportProgress()
        done.bytesDone = 320 << 20
        done.bytesTotal = 320 << 20
        _ = reduce(&state, .importEventReceived(.progress(job: "t0", done)))
        _ = reduce(&state, .importEventReceived(.planned(job: "t1", plan(objects: 90, bytes: 360 << 20))))
        _ = reduce(&state, .importEventReceived(.stage(job: "t1", .transfer)))
        var progress = ImportProgress()
        progress.bytesDone = 120 << 20
        progress.bytesTotal = 360 << 20
        progress.bytesPerSecond = 20_971_520
        _ = reduce(&state, .importEventReceived(.progress(job: "t1", progress)))
        return state
    }

    static var failedJob: State {
        var state = base(.importer)
        _ = reduce(&state, .importQueued(jobId: "j2", source: "/home/ada/Music/坂本龍一 - 東京の夜", profileName: "cloud"))
        _ = reduce(&state, .importEventReceived(.planned(job: "j2", plan(objects: 9, bytes: 500 << 20))))
        _ = reduce(&state, .importEventReceived(.stage(job: "j2", .transfer)))
        for sequence in 0..<3 {
            _ = reduce(
                &state,
                .importEventReceived(.transfer(job: "j2", cell: sequence, .confirmed)))
        }
        _ = reduce(
            &state,
            .importEventReceived(
                .finished(
                    job: "j2",
                    .failed(
                        message:
                            "S3 PUT objects/3f/a2/3fa2… failed: 403 AccessDenied (the credentials may not write to bucket music); check AWS_ACCESS_KEY_ID"
                    ))))
        _ = reduce(&state, .keyPressed(.character("j")))
        return state
    }

    static var releaseListFiltered: State {
        var state = base(.releases)
        _ = reduce(&state, .keyPressed(.character("/")))
        for c in "bjork" { _ = reduce(&state, .keyPressed(.character(c))) }
        return state
    }

    static func detailPane(of id: String) -> State {
        var state = base(.releases)
        while state.selectedRelease?.id != id { _ = reduce(&state, .keyPressed(.down)) }
        _ = reduce(
            &state,
            .releaseDetailLoaded(
                ReleaseDetail(
                    id: id, artist: state.selectedRelease!.artist, title: state.selectedRelease!.title,
                    year: state.selectedRelease!.year, label: "One Little Indian", catalogNumber: "TPLP 358",
                    files: [
                        .init(
                            path: "01 - Överture.flac", size: 32_351, durationMs: 2000,
                            pieces: [
                                .init(
                                    chunkIndex: 0, objectKey: "objects/27/b0/27b06494f2db", byteOffset: 0,
                                    byteLength: 32_351)
                            ]),
                        .init(
                            path: "02 - 東京の夜.flac", size: 30_912, durationMs: 2000,
                            pieces: [
                                .init(
                                    chunkIndex: 0, objectKey: "objects/27/b0/27b06494f2db", byteOffset: 32_351,
                                    byteLength: 229_793),
                                .init(
                                    chunkIndex: 1, objectKey: "objects/9c/41/9c41d0a7e3f8", byteOffset: 0,
                                    byteLength: 1_201),
                            ]),
                        .init(path: "cover.jpg", size: 2_250),
                    ],
                    copies: state.selectedRelease!.profiles.map { "\($0) (stored)" })))
        _ = reduce(&state, .keyPressed(.enter))
        _ = reduce(&state, .keyPressed(.down))
        return state
    }

    static var help: State {
        var state = base(.profiles)
        _ = reduce(&state, .keyPressed(.character("?")))
        return state
    }
}

extension ScreenStates {
    /// A 32×32 gradient: red grows to the right, green downwards, blue fixed; a white
    /// diagonal makes a flipped or shifted drawing visible in the golden file.
    static let gradient = CoverImage(width: 32, height: 32) { x, y in
        x == y ? .init(255, 255, 255) : .init(UInt8(x * 8), UInt8(y * 8), 96)
    }

    /// The detail pane of Homogenic with its cover read and covers on (a theme with colours).
    static var detailWithCover: State {
        var state = detailPane(of: "a1b2c3d4e5f60718")
        state.coverArt = true
        state.detail?.cover = "cover.jpg"
        state.covers["a1b2c3d4e5f60718"] = .loaded(gradient)
        return state
    }
}
