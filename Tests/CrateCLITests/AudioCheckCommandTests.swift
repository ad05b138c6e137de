import CrateTestSupport
import Foundation
import Testing

/// The audio check through the built binary (issue #20): `import` refusing damaged files,
/// `--allow-damaged`, `verify --audio` and `verify --sample`.
@Suite struct AudioCheckCommandTests {
    let crate: CrateProcess

    init() throws { crate = try CrateProcess() }

    func releaseIds() async throws -> [String] {
        let list = try await crate.run(["releases", "--json"])
        let releases = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        return releases.compactMap { $0["id"] as? String }
    }

    @Test func importRefusesDamagedAudioUnlessAllowed() async throws {
        defer { crate.removeHome() }
        #expect(try await crate.run(["profile", "add", "p", "--local", crate.home + "/store"]).status == 0)
        let damaged = try await AudioAlbum.make(
            crate.home + "/A - Damaged (2001)", tracks: [.good, .flipped, .truncatedMP3])
        let clean = try await AudioAlbum.make(crate.home + "/B - Clean (2002)", tracks: [.good, .noMD5, .goodMP3])

        let refused = try await crate.run(["import", damaged])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("warning: damaged audio: 02 - Flipped.flac: "), "\(refused.stderr)")
        #expect(refused.stderr.contains("warning: damaged audio: 06 - Truncated.mp3: "), "\(refused.stderr)")
        #expect(refused.stderr.contains("import failed: 2 files are damaged: 02 - Flipped.flac ("), "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-damaged"))
        #expect(try await releaseIds().isEmpty)

        let json = try await crate.run(["import", damaged, "--json"])
        #expect(json.status == 1)
        #expect(
            json.stdout.contains(#""event":"audioDamaged""#) && json.stdout.contains(#""file":"02 - Flipped.flac""#))

        // A batch: the clean release is imported, the damaged one refused: partly done.
        let batch = try await crate.run(["import", damaged, clean])
        #expect(batch.status == 2, "\(batch.stderr)")
        #expect(batch.stderr.contains("1 imported"), "\(batch.stderr)")
        #expect(try await releaseIds().count == 1)

        let allowed = try await crate.run(["import", damaged, "--allow-damaged"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stderr.contains("warning: damaged audio: 02 - Flipped.flac: "))
        #expect(try await releaseIds().count == 2)
    }

    @Test func verifyAudioFindsAStoredFileDamagedAfterImport() async throws {
        defer { crate.removeHome() }
        #expect(try await crate.run(["profile", "add", "p", "--local", crate.home + "/store"]).status == 0)
        let clean = try await AudioAlbum.make(crate.home + "/B - Clean (2002)", tracks: [.good, .noMD5, .goodMP3])
        #expect(try await crate.run(["import", clean]).status == 0)
        let id = try #require(try await releaseIds().first)

        let sound = try await crate.run(["verify", id, "--audio"])
        #expect(sound.status == 0, "\(sound.stderr)")
        #expect(sound.stdout.contains("audio of 3 checked"), "\(sound.stdout)")
        #expect(sound.stdout.contains("note: cannot check audio: 04 - No MD5.flac: "), "\(sound.stdout)")

        // Whole-file, plain: the stored object is the file itself.
        let stored = try #require(
            FileManager.default.enumerator(atPath: crate.home + "/store")?.compactMap { $0 as? String }
                .first { $0.hasSuffix("/01 - Good.flac") })
        let path = crate.home + "/store/" + stored
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        AudioAlbum.flipMiddle(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let damaged = try await crate.run(["verify", id, "--audio"])
        #expect(damaged.status == 1)
        #expect(damaged.stdout.contains("damaged audio: 01 - Good.flac: the audio is damaged: "), "\(damaged.stdout)")
        #expect(damaged.stdout.contains("integrity failure: 01 - Good.flac: "), "\(damaged.stdout)")
        let plain = try await crate.run(["verify", "--all", "--file-share", "100"])
        #expect(plain.status == 1)
        #expect(!plain.stdout.contains("damaged audio"))
    }

    @Test func sampleVerifiesTheCopiesVerifiedLongestAgo() async throws {
        defer { crate.removeHome() }
        #expect(try await crate.run(["profile", "add", "p", "--local", crate.home + "/store"]).status == 0)
        for name in ["A - One (2001)", "B - Two (2002)", "C - Three (2003)"] {
            let folder = try await AudioAlbum.make(crate.home + "/" + name, tracks: [.goodMP3])
            #expect(try await crate.run(["import", folder]).status == 0)
        }
        var seen: Set<String> = []
        for _ in 0..<3 {
            let run = try await crate.run(["verify", "--sample", "30%", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let reports = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] ?? []
            #expect(reports.count == 1)
            seen.formUnion(reports.compactMap { $0["releaseId"] as? String })
        }
        // Three runs of one copy each read every copy once.
        #expect(seen.count == 3)
        let bytes = try await crate.run(["verify", "--sample", "1B", "--json"])
        #expect(bytes.status == 0)
        let bad = try await crate.run(["verify", "--sample", "lots"])
        #expect(bad.status == 64 && bad.stderr.contains("--sample takes"), "\(bad.stderr)")
    }
}
