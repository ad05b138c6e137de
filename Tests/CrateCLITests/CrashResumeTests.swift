import CrateS3
import CrateTestSupport
import Foundation
import Testing

/// `crate import` killed with SIGKILL at seeded points of its life — during the scan, between
/// objects, right after an object landed (before or after its catalog row), during the commit —
/// then resumed: every run must end byte-identical with a sound catalog and no stray release.
///
/// The default test run takes a small seeded subset; `CRATE_CRASH_POINTS=all` runs the full set
/// (24 points over local and S3 profiles), and `CRATE_CRASH_SEED=N` changes the seed.
@Suite struct CrashResumeTests {
    struct Point: CustomStringConvertible, Sendable {
        var s3: Bool
        var encrypted: Bool
        /// Kill after this many JSON events (scan/identify/plan stages are the first few).
        var afterEvents: Int
        var description: String { "\(s3 ? "s3" : "local")\(encrypted ? "-sealed" : "") after \(afterEvents) events" }
    }

    static let seed: UInt64 = ProcessInfo.processInfo.environment["CRATE_CRASH_SEED"].flatMap(UInt64.init) ?? 20_261_129
    static let runAll = ProcessInfo.processInfo.environment["CRATE_CRASH_POINTS"] == "all"

    /// Event counts span the whole job: 1 (scan) … ~70 (commit) for the test album.
    static let points: [Point] = {
        var generator = SeededGenerator(seed: seed)
        var all: [Point] = []
        for index in 0..<24 {
            let s3 = index % 2 == 1
            let encrypted = index % 3 == 0
            let after =
                [1, 2, 4].indices.contains(index) ? [1, 2, 4][index] : Int.random(in: 5...72, using: &generator)
            all.append(Point(s3: s3, encrypted: encrypted, afterEvents: after))
        }
        return runAll ? all : [all[1], all[3], all[8], all[17]]
    }()

    @Test(arguments: points)
    func resumesAfterAKillAt(point: Point) async throws {
        var crate = try CrateProcess()
        defer { crate.removeHome() }
        crate.environment["CRATE_PASSPHRASE"] = "crash test passphrase"
        let album = crate.home + "/Crash Test - Album (2024)"
        try FileManager.default.createDirectory(atPath: album, withIntermediateDirectories: true)
        for index in 1...4 {
            try Data(SeededGenerator.bytes(count: (5 << 20) + index * 12_345, seed: UInt64(index)))
                .write(to: URL(fileURLWithPath: album + "/0\(index).wav"))
        }
        try Data("cover".utf8).write(to: URL(fileURLWithPath: album + "/cover.jpg"))

        var add = ["profile", "add", "p", "--chunked", "--chunk-size", "1MiB"]
        if point.s3 {
            add += [
                "--s3", "s3://\(try await MotoBucket.create("crash"))/c", "--endpoint", try MotoBucket.endpoint(),
                "--path-style",
            ]
        } else {
            add += ["--local", crate.home + "/store"]
        }
        if point.encrypted { add.append("--encrypted") }
        let added = try await crate.run(add)
        #expect(added.status == 0, "\(added.stderr)")

        let first = try await crate.runUntil(["import", "--json", album]) { $0.count >= point.afterEvents }
        let finishedFirst = first.events.contains { $0["event"] as? String == "finished" }
        if !finishedFirst {
            #expect(try await crate.run(["releases", "--json"]).stdout.filter { !$0.isWhitespace } == "[]")
            let resumed = try await crate.run(["import", "--resume", "--json"])
            #expect(resumed.status == 0, "\(point): \(resumed.stderr)")
        }
        let releases = try await crate.run(["releases", "--json"])
        let list = try JSONSerialization.jsonObject(with: Data(releases.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(list.count == 1, "\(point): \(releases.stdout)")
        let id = try #require(list.first?["id"] as? String)
        let export = try await crate.run(["export", id, crate.home + "/restored"])
        #expect(export.status == 0, "\(point): \(export.stderr)")
        for name in ["01.wav", "02.wav", "03.wav", "04.wav", "cover.jpg"] {
            let original = try Data(contentsOf: URL(fileURLWithPath: album + "/" + name))
            let restored = try? Data(contentsOf: URL(fileURLWithPath: crate.home + "/restored/" + name))
            #expect(original == restored, "\(point): \(name) differs")
        }
        #expect(try await CatalogFile.integrityCheck(crate.home + "/catalog.sqlite") == "ok")
        let verify = try await crate.run(["verify", "--all"])
        #expect(verify.status == 0, "\(point): \(verify.stdout) \(verify.stderr)")
        // Whatever the kill left behind (an object stored but not recorded) goes with one gc;
        // after it, nothing is left to collect and the release still verifies.
        let gc = try await crate.run(["gc"])
        #expect(gc.status == 0, "\(point): \(gc.stderr)")
        let dryRun = try await crate.run(["gc", "--dry-run", "--json"])
        let reports = try JSONSerialization.jsonObject(with: Data(dryRun.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(reports.allSatisfy { ($0["objects"] as? [Any])?.isEmpty == true }, "\(point): \(dryRun.stdout)")
        #expect(try await crate.run(["verify", "--all"]).status == 0)
        #expect(try await crate.run(["import", "--resume"]).stderr.contains("no unfinished import jobs"))
    }
}

/// xorshift64*: a reproducible generator for seeded test plans and data.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        TestBytes.random(count, seed: seed &+ 1)
    }
}

/// Reads a catalog file through Python's sqlite3 (no GRDB in this target).
enum CatalogFile {
    /// SQLite's own consistency check ("ok" when sound).
    static func integrityCheck(_ path: String) async throws -> String {
        try await query(path, "PRAGMA integrity_check")
    }

    /// The first column of the first row `sql` returns, as text.
    static func query(_ path: String, _ sql: String) async throws -> String {
        try await Tool.output([
            "python3", "-c",
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])",
            path, sql,
        ]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
