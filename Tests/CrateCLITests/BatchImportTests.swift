import Foundation
import Testing

/// `crate import` of a whole collection: release folders found in a tree, a bad album skipped
/// with its reason while the others are imported, the summary and exit status, one key
/// derivation for the batch, and a batch killed midway finished by `--resume`.
@Suite struct BatchImportTests {
    /// A library of `albums` albums (two artists' worth of folders each, one double album with
    /// disc folders and a scans folder), an artwork folder without audio, and a bad album
    /// holding a FIFO. Every file's bytes differ, so no album is a duplicate of another.
    func makeLibrary(_ crate: CrateProcess, albums: Int, fileSize: Int = 3000) throws -> String {
        let root = crate.home + "/Music"
        var seed: UInt64 = 1
        func write(_ path: String) throws {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            seed += 1
            try Data(SeededGenerator.bytes(count: fileSize, seed: seed)).write(to: URL(fileURLWithPath: path))
        }
        for index in 1...albums {
            let album = "\(root)/Artist \(index % 7)/\(2000 + index) - Album \(index)"
            for track in 1...3 { try write("\(album)/0\(track) Track.wav") }
            try write("\(album)/cover.jpg")
        }
        for disc in ["CD1", "Disc 2"] {
            for track in 1...2 { try write("\(root)/Artist 9/Double Album/\(disc)/0\(track).wav") }
        }
        try write("\(root)/Artist 9/Double Album/Scans/back.jpg")
        try write("\(root)/Artwork/wallpaper.jpg")
        try write("\(root)/Artist 8/Broken Album/01 Track.wav")
        #expect(mkfifo("\(root)/Artist 8/Broken Album/pipe", 0o644) == 0)
        return root
    }

    static func events(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test func importsEveryReleaseOfATreeAndSkipsWhatItCannot() async throws {
        var crate = try CrateProcess()
        defer { crate.removeHome() }
        crate.environment["CRATE_PASSPHRASE"] = "batch passphrase"
        let root = try makeLibrary(crate, albums: 31)
        let add = try await crate.run([
            "profile", "add", "vault", "--local", crate.home + "/store", "--encrypted", "--chunked",
        ])
        #expect(add.status == 0, "\(add.stderr)")

        let run = try await crate.run(["import", "--json", root])
        let events = Self.events(run.stdout)
        #expect(run.status == 2, "partly done: \(run.stderr)")

        let found = try #require(events.first { $0["event"] as? String == "found" })
        let releases = try #require(found["releases"] as? [String])
        #expect(releases.count == 33)  // 31 albums, the double album, the broken one
        #expect(releases.contains(root + "/Artist 9/Double Album"))
        #expect(!releases.contains { $0.hasSuffix("/CD1") || $0.hasSuffix("/Disc 2") || $0.hasSuffix("/Scans") })
        let skippedFolders = (found["skipped"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(skippedFolders == [root + "/Artwork"])

        let summary = try #require(events.last?["summary"] as? [String: Any])
        #expect(summary["imported"] as? Int == 32)
        #expect(summary["alreadyPresent"] as? Int == 0)
        let skipped = try #require(summary["skipped"] as? [[String: Any]])
        #expect(skipped.compactMap { $0["path"] as? String } == [root + "/Artwork", root + "/Artist 8/Broken Album"])
        #expect((skipped.last?["reason"] as? String)?.contains("FIFO") == true)
        // The passphrase's scrypt ran once for the 32 releases, not once per release.
        #expect(summary["keyDerivations"] as? Int == 1)

        let listed = try await crate.run(["releases", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 32)

        // The same tree again: everything is already there; the broken album is still skipped.
        let again = try await crate.run(["import", root])
        #expect(again.status == 2)
        #expect(again.stderr.contains("done: 0 imported, 32 already present, 2 skipped"), "\(again.stderr)")
        #expect(again.stderr.contains("skipped \(root)/Artist 8/Broken Album: "))

        // A folder without audio is still one release when given alone (with a note);
        // --one-release takes a folder as it is, releases inside or not.
        let artwork = try await crate.run(["import", root + "/Artwork"])
        #expect(artwork.status == 0, "\(artwork.stderr)")
        #expect(artwork.stderr.contains("note: no audio files in \(root)/Artwork or below"))
        let forced = try await crate.run(["import", "--one-release", root + "/Artist 9"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(!forced.stderr.contains("found "))
    }

    @Test func aBatchKilledMidwayIsFinishedByResume() async throws {
        var crate = try CrateProcess()
        defer { crate.removeHome() }
        let root = crate.home + "/Music"
        for index in 1...12 {
            let album = "\(root)/Artist/Album \(index)"
            try FileManager.default.createDirectory(atPath: album, withIntermediateDirectories: true)
            for track in 1...2 {
                try Data(SeededGenerator.bytes(count: 1 << 20, seed: UInt64(index * 10 + track)))
                    .write(to: URL(fileURLWithPath: "\(album)/0\(track).wav"))
            }
        }
        #expect(
            try await crate.run(["profile", "add", "vault", "--local", crate.home + "/store", "--chunked"]).status == 0)
        // 4 MiB/s: about half a second per album, time enough to kill it after three.
        crate.environment["CRATE_BWLIMIT"] = "4MiB"
        let first = try await crate.runUntil(["import", "--json", root]) { events in
            events.filter { $0["event"] as? String == "finished" }.count >= 3
        }
        #expect(first.killed, "the batch finished before it could be killed")
        let doneBefore = first.events.filter { $0["event"] as? String == "finished" }.count
        #expect(doneBefore < 12)
        // The release running beside the current one may have committed unheard (its events
        // wait for their turn).
        let before = try await crate.run(["releases", "--json"])
        let committedBefore = try #require(
            try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [[String: Any]]
        ).count
        #expect(committedBefore >= doneBefore && committedBefore <= doneBefore + 1)

        crate.environment["CRATE_BWLIMIT"] = nil
        let resumed = try await crate.run(["import", "--resume", "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let finished = Self.events(resumed.stdout).filter { $0["event"] as? String == "finished" }
        // Only the releases not committed before the kill run again, and each commits.
        #expect(finished.count == 12 - committedBefore)
        #expect(finished.allSatisfy { $0["outcome"] as? String == "committed" }, "\(finished)")
        let listed = try await crate.run(["releases", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 12)
    }
}
