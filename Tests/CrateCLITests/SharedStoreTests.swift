import CrateS3
import Foundation
import Testing

/// Deleting never loses a live release: two catalogs (two CRATE_HOMEs: a reinstall, a second
/// machine) and several processes on one profile, through the built binary, on a local folder
/// and on the S3 server. After each sequence every committed release must verify.
@Suite struct SharedStoreTests {
    static let timeout: TimeInterval = 180
    static let passphrase = "correct horse battery staple"

    /// Two homes on one location, each with the profile `q`.
    struct Pair {
        var a: CrateProcess
        var b: CrateProcess
        var location: [String]

        func removeHomes() {
            a.removeHome()
            b.removeHome()
        }
    }

    static func pair(s3: Bool, sealed: Bool = false) async throws -> Pair {
        var a = try CrateProcess()
        var b = try CrateProcess()
        for index in [0, 1] {
            var process = index == 0 ? a : b
            if sealed { process.environment["CRATE_PASSPHRASE"] = passphrase }
            if index == 0 { a = process } else { b = process }
        }
        var location = ["--local", a.home + "/store"]
        if s3 {
            let bucket = try await MotoBucket.create("shared")
            location = ["--s3", "s3://\(bucket)/music", "--endpoint", try MotoBucket.endpoint(), "--path-style"]
        }
        let layout = ["--chunked", "--chunk-size", "256KiB"] + (sealed ? ["--encrypted"] : [])
        let created = try await a.run(["profile", "add", "q"] + location + layout)
        #expect(created.status == 0, "\(created.stderr)")
        let attached = try await b.run(["profile", "add", "q"] + location)
        #expect(attached.status == 0, "\(attached.stderr)")
        return Pair(a: a, b: b, location: location)
    }

    /// A release folder of seeded files (name, size, seed).
    static func album(_ crate: CrateProcess, _ name: String, _ files: [(String, Int, UInt64)]) throws -> String {
        let folder = crate.home + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (file, size, seed) in files {
            try Data(SeededGenerator.bytes(count: size, seed: seed)).write(
                to: URL(fileURLWithPath: folder + "/" + file))
        }
        return folder
    }

    /// Release X, and release Y whose stream starts with X's four files: Y's first four 256 KiB
    /// chunks are X's, so a Y import skips them as already stored.
    static func sharingAlbums(_ crate: CrateProcess, tag: String, seed: UInt64) throws -> (x: String, y: String) {
        let shared = (1...4).map { ("0\($0).wav", 300_000, seed + UInt64($0)) }
        let x = try album(crate, "Artist \(tag) - First (2001)", shared)
        let y = try album(
            crate, "Artist \(tag) - Second (2002)",
            shared + (5...7).map { ("0\($0).wav", 300_000, seed + 50 + UInt64($0)) })
        return (x, y)
    }

    static func importedId(_ result: CrateProcess.Result) -> String? {
        for line in (result.stdout + result.stderr).split(separator: "\n") {
            if let range = line.range(of: "imported as ") { return String(line[range.upperBound...].prefix(12)) }
            if let range = line.range(of: "\"releaseId\":\"") { return String(line[range.upperBound...].prefix(12)) }
        }
        return nil
    }

    /// Every release `crate` lists verifies (exit 0), and there is at least `minimum` of them.
    static func expectSound(_ crate: CrateProcess, minimum: Int = 1, _ context: String) async throws {
        let verify = try await crate.run(["verify", "--all"])
        #expect(verify.status == 0, "\(context): \(verify.stdout) \(verify.stderr)")
        let okCount = verify.stdout.split(separator: "\n").filter { $0.hasPrefix("ok") }.count
        #expect(okCount >= minimum, "\(context): \(verify.stdout)")
    }

    static func files(in folder: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            result[name] = FileManager.default.contents(atPath: folder + "/" + name)
        }
        return result
    }

    // MARK: 1. Reinstall, attach, gc

    @Test(arguments: [(false, false), (true, true)])
    func aSecondCatalogAttachingAndCollectingKeepsTheFirstOnesRelease(s3: Bool, sealed: Bool) async throws {
        let pair = try await Self.pair(s3: s3, sealed: sealed)
        defer { pair.removeHomes() }
        let folder = try Self.album(pair.a, "Kept - Album (1999)", (1...3).map { ("0\($0).wav", 400_000, UInt64($0)) })
        let imported = try await pair.a.run(["import", folder, "--profile", "q"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let id = try #require(Self.importedId(imported))

        // The second catalog is told what the location holds when it attaches ...
        var fresh = try CrateProcess()
        if sealed { fresh.environment["CRATE_PASSPHRASE"] = Self.passphrase }
        defer { fresh.removeHome() }
        let attached = try await fresh.run(["profile", "add", "q"] + pair.location)
        #expect(attached.stdout.contains("it holds 1 stored releases"), "\(attached.stdout)")
        #expect(attached.stdout.contains("crate recover --profile q"))
        // ... and its gc deletes nothing of it, naming the release it does not know.
        let gc = try await fresh.run(["gc", "--profile", "q"])
        #expect(gc.status == 0, "\(gc.stderr)")
        #expect(gc.stdout.contains("deleted 0 objects"), "\(gc.stdout)")
        #expect(gc.stdout.contains("1 releases stored there are not in this catalog"), "\(gc.stdout)")
        #expect(gc.stdout.contains(id))

        let target = pair.a.home + "/restored"
        let export = try await pair.a.run(["export", id, target])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(try Self.files(in: target) == Self.files(in: folder))
        try await Self.expectSound(pair.a, "after the second catalog's gc")

        // Without the key, a sealed profile's gc refuses instead of guessing.
        if sealed {
            var keyless = fresh
            keyless.environment.removeValue(forKey: "CRATE_PASSPHRASE")
            let refused = try await keyless.run(["gc", "--profile", "q"])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("gc must read its manifests"), "\(refused.stderr)")
        }
    }

    // MARK: 2 and 3. rm or gc while an import that shares chunks runs

    /// Starts an import of Y in `writer`, waits until it has found X's chunks already stored,
    /// and stops it there (SIGSTOP) holding its store lock, however slowly a loaded machine
    /// starts the other process: pacing alone (64 KiB/s) once let the import finish first
    /// under a full suite. The caller continues it (SIGCONT) once the other process is done.
    static func startPausedImport(_ writer: CrateProcess, _ folder: String) async throws -> CrateProcess.Running {
        var slow = writer
        slow.environment["CRATE_BWLIMIT"] = "128KiB"
        let running = try slow.start(["import", "--json", "--profile", "q", folder])
        #expect(await running.output(containing: "\"skipped\":true", timeout: timeout), "\(running.stdout)")
        kill(running.pid, SIGSTOP)
        return running
    }

    @Test(arguments: [false, true])
    func removingAReleaseWhileAnImportSharesItsChunksLosesNothing(s3: Bool) async throws {
        let pair = try await Self.pair(s3: s3)
        defer { pair.removeHomes() }
        let (x, y) = try Self.sharingAlbums(pair.a, tag: "rm", seed: 10)
        let first = try await pair.a.run(["import", x, "--profile", "q"])
        let xId = try #require(Self.importedId(first), "\(first.stderr)")

        let writer = try await Self.startPausedImport(pair.a, y)
        let removed = try await pair.a.run(["rm", xId, "--yes"])
        kill(writer.pid, SIGCONT)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("left for `crate gc --profile q`"), "\(removed.stdout)")
        #expect(removed.stdout.contains("shared lock of import"), "\(removed.stdout)")
        let result = try #require(await writer.finished(timeout: Self.timeout), "the import hung")
        #expect(result.status == 0, "\(result.stderr)")
        try await Self.expectSound(pair.a, "after rm during the import")

        // With no writer left, gc reclaims X's own chunk and nothing Y uses.
        let gc = try await pair.a.run(["gc", "--profile", "q"])
        #expect(gc.status == 0 && gc.stdout.contains("deleted 1 objects"), "\(gc.stdout) \(gc.stderr)")
        try await Self.expectSound(pair.a, "after gc")
    }

    @Test(arguments: [false, true])
    func collectingFromAnotherCatalogWhileAnImportRunsLosesNothing(s3: Bool) async throws {
        let pair = try await Self.pair(s3: s3)
        defer { pair.removeHomes() }
        let (x, y) = try Self.sharingAlbums(pair.a, tag: "gc", seed: 20)
        #expect(try await pair.a.run(["import", x, "--profile", "q"]).status == 0)

        let writer = try await Self.startPausedImport(pair.a, y)
        let gc = try await pair.b.run(["gc", "--profile", "q"])
        kill(writer.pid, SIGCONT)
        #expect(gc.status == 1)
        #expect(gc.stderr.contains("the store is in use"), "\(gc.stderr)")
        #expect(gc.stderr.contains("shared lock of import by"), "\(gc.stderr)")
        #expect(gc.stderr.contains("pid \(writer.pid)"), "\(gc.stderr)")
        let result = try #require(await writer.finished(timeout: Self.timeout), "the import hung")
        #expect(result.status == 0, "\(result.stderr)")
        try await Self.expectSound(pair.a, minimum: 2, "after gc refused during the import")
        // Once the import is done, the other catalog's gc finds nothing to delete.
        let after = try await pair.b.run(["gc", "--profile", "q"])
        #expect(after.status == 0 && after.stdout.contains("deleted 0 objects"), "\(after.stdout) \(after.stderr)")
        #expect(after.stdout.contains("2 releases stored there are not in this catalog"), "\(after.stdout)")
        try await Self.expectSound(pair.a, minimum: 2, "after the second gc")
    }

    // MARK: The race: writers of one catalog, deleters of another, in a loop

    /// Each round: catalog B imports X; catalog A imports Y (sharing X's first chunks, paced so
    /// it is slow) while B, after a seeded random delay, removes X or collects. Whatever the
    /// interleaving (the delete first, the import waiting for it; the import first, the delete
    /// refused or leaving objects for gc), every release both catalogs hold must verify.
    @Test(arguments: [false, true])
    func racingWritersAndDeletersOfTwoCatalogsNeverLoseAnObject(s3: Bool) async throws {
        let pair = try await Self.pair(s3: s3)
        defer { pair.removeHomes() }
        var random = SeededGenerator(seed: s3 ? 0x5EED_0003 : 0x5EED_0014)
        var slow = pair.a
        slow.environment["CRATE_BWLIMIT"] = "1MiB"
        var committed = 0
        var outcomes: [String: Int] = [:]
        for round in 0..<20 {
            let (x, y) = try Self.sharingAlbums(pair.b, tag: "r\(round)", seed: 1000 + UInt64(round) * 100)
            let first = try await pair.b.run(["import", x, "--profile", "q"])
            let xId = try #require(Self.importedId(first), "round \(round): \(first.stderr)")
            // Every fifth round the delete goes first for certain (on a loaded machine the
            // import once took its lock first in all 20 rounds); the others race it.
            let deleteFirst = round % 5 == 0
            var started = deleteFirst ? nil : try slow.start(["import", "--profile", "q", y])
            if !deleteFirst { try await Task.sleep(nanoseconds: (random.next() % 1200) * 1_000_000) }
            let removing = round % 2 == 0
            let deleter = try await pair.b.run(removing ? ["rm", xId, "--yes"] : ["gc", "--profile", "q"])
            if started == nil { started = try slow.start(["import", "--profile", "q", y]) }
            let writer = try #require(started)
            let busy = deleter.stderr.contains("the store is in use") || deleter.stdout.contains("left for `crate gc")
            #expect(deleter.status == 0 || busy, "round \(round): \(deleter.stdout) \(deleter.stderr)")
            outcomes[(removing ? "rm " : "gc ") + (busy ? "deferred" : "ran"), default: 0] += 1
            let imported = try #require(await writer.finished(timeout: Self.timeout), "round \(round): the import hung")
            #expect(imported.status == 0, "round \(round): \(imported.stderr)")
            committed += 1
            // Every fourth round (a lost object stays lost, so a later check still finds it; a
            // verify of every release after every round made the suite's longest test quadratic).
            if round % 4 == 3 {
                try await Self.expectSound(pair.a, minimum: committed, "round \(round), catalog A")
                try await Self.expectSound(pair.b, minimum: 0, "round \(round), catalog B")
            }
        }
        // Both kinds of interleaving happened.
        print("race on \(s3 ? "S3" : "a local folder"): \(outcomes.sorted { $0.key < $1.key })")
        #expect(outcomes.keys.contains { $0.hasSuffix("ran") }, "\(outcomes)")
        #expect(outcomes.keys.contains { $0.hasSuffix("deferred") }, "\(outcomes)")
        // Quiet again: gc from either catalog finishes, and everything still verifies.
        for crate in [pair.b, pair.a] {
            let gc = try await crate.run(["gc", "--profile", "q"])
            #expect(gc.status == 0, "\(gc.stdout) \(gc.stderr)")
        }
        try await Self.expectSound(pair.a, minimum: committed, "after the final gc")
        try await Self.expectSound(pair.b, minimum: 0, "after the final gc, catalog B")
        let unlock = try await pair.a.run(["unlock", "--profile", "q"])
        #expect(unlock.stdout.contains("q: no locks"), "\(unlock.stdout)")
    }

    // MARK: kill -9 of gc and rm

    /// gc and rm killed at seeded points (measured from the moment their lock appears in the
    /// bucket): no live object is lost, the next run reports the dead process's lock as stale,
    /// removes it, and finishes the work.
    @Test func killedCollectorsAndRemoversLoseNothingAndLeaveOnlyStaleLocks() async throws {
        let pair = try await Self.pair(s3: true)
        defer { pair.removeHomes() }
        let crate = pair.a
        let (x, y) = try Self.sharingAlbums(crate, tag: "kill", seed: 30)
        #expect(try await crate.run(["import", x, "--profile", "q"]).status == 0)
        let second = try await crate.run(["import", y, "--profile", "q"])
        let yId = try #require(Self.importedId(second), "\(second.stderr)")
        let bucket = try #require(pair.location[1].split(separator: "/").dropFirst(1).first.map(String.init))
        let client = try S3Client(
            endpoint: try MotoBucket.endpoint(), region: "us-east-1", bucket: bucket, addressing: .path,
            credentials: S3Credentials(accessKeyId: "crate-test", secretAccessKey: "crate-test-secret"))
        func lockAppeared() async throws -> Bool {
            try await !client.listObjects(prefix: "music/locks/").objects.isEmpty
        }

        var random = SeededGenerator(seed: 0xDEAD_0009)
        var killedHolding = 0
        for round in 0..<3 {
            // Orphans for gc to chew on: enough deletions that a kill lands in the middle.
            for index in 0..<120 {
                try await client.putObject("music/objects/zz/\(round)/junk-\(index)", bytes: Array("junk".utf8))
            }
            let gc = try crate.start(["gc", "--profile", "q"])
            let deadline = Date().addingTimeInterval(Self.timeout)
            while try await !lockAppeared(), gc.process.isRunning, Date() < deadline {
                try await Task.sleep(nanoseconds: 5_000_000)
            }
            try await Task.sleep(nanoseconds: (random.next() % 400) * 1_000_000)
            kill(gc.pid, SIGKILL)
            let ended = await gc.finished()
            try await Self.expectSound(crate, minimum: 2, "gc killed in round \(round)")
            // Killed while it held the store: its lock is still there.
            guard ended.status == SIGKILL, try await lockAppeared() else { continue }
            killedHolding += 1
            // The dead collector's lock is stale at once (its process on this host has ended):
            // `crate unlock` removes it in the first rounds, the next gc itself in the last.
            let cleared =
                round < 2
                ? try await crate.run(["unlock", "--profile", "q"]) : try await crate.run(["gc", "--profile", "q"])
            #expect(cleared.status == 0, "\(cleared.stderr)")
            #expect(cleared.stdout.contains("removed exclusive lock of gc by"), "\(cleared.stdout)")
            #expect(cleared.stdout.contains("that process has ended"), "\(cleared.stdout)")
        }
        #expect(killedHolding >= 1, "no gc was killed while it held the store")
        // A rerun finishes what the killed ones left.
        let rerun = try await crate.run(["gc", "--profile", "q"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try await client.listObjects(prefix: "music/objects/zz/").objects.isEmpty, "\(rerun.stdout)")
        try await Self.expectSound(crate, minimum: 2, "after the rerun")

        // rm of Y killed mid-way; running it again finishes; X loses nothing.
        let rm = try crate.start(["rm", yId, "--yes"])
        try await Task.sleep(nanoseconds: (random.next() % 300) * 1_000_000)
        kill(rm.pid, SIGKILL)
        _ = await rm.finished()
        if try await crate.run(["releases", "--json"]).stdout.contains(yId) {
            let again = try await crate.run(["rm", yId, "--yes"])
            #expect(again.status == 0, "\(again.stderr)")
        }
        let unlock = try await crate.run(["unlock", "--profile", "q"])
        #expect(unlock.status == 0 && !unlock.stdout.contains("kept"), "\(unlock.stdout)")
        let final = try await crate.run(["gc", "--profile", "q"])
        #expect(final.status == 0, "\(final.stderr)")
        try await Self.expectSound(crate, minimum: 1, "after rm was killed and rerun")
        #expect(try await client.listObjects(prefix: "music/locks/").objects.isEmpty)
    }
}
