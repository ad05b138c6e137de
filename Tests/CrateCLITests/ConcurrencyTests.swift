import Foundation
import Testing

/// Two `crate` processes on one CRATE_HOME. Every wait is bounded: a deadlock fails the test
/// instead of hanging it.
@Suite struct ConcurrencyTests {
    static let timeout: TimeInterval = 240

    @Test func anImportAListingAndAnotherImportShareTheCatalog() async throws {
        let crate = try CrateProcess()
        defer { crate.removeHome() }
        let big = try crate.makeAlbum("Big Import - Album (2024)", files: 4, size: 8 << 20)
        let small = try crate.makeAlbum("Side Job - EP (2023)", files: 2, size: 1 << 20)
        for (name, chunkSize) in [("one", "256KiB"), ("two", "1MiB")] {
            let added = try await crate.run([
                "profile", "add", name, "--local", crate.home + "/store-" + name, "--chunked", "--chunk-size",
                chunkSize,
            ])
            #expect(added.status == 0, "\(added.stderr)")
        }

        let first = try crate.start(["import", "--json", "--profile", "one", big])
        #expect(await first.output(containing: "\"event\":\"object\""), "\(first.stdout)")
        let second = try crate.start(["import", "--profile", "two", small])
        var listings = 0
        while first.process.isRunning || second.process.isRunning {
            let listed = try #require(try await crate.start(["releases", "--json"]).finished(timeout: Self.timeout))
            #expect(listed.status == 0 && listed.stderr.isEmpty, "\(listed.stderr)")
            listings += 1
        }
        let firstResult = try #require(await first.finished(timeout: Self.timeout), "the first import hung")
        let secondResult = try #require(await second.finished(timeout: Self.timeout), "the second import hung")
        #expect(firstResult.status == 0, "\(firstResult.stderr)")
        #expect(secondResult.status == 0, "\(secondResult.stderr)")
        for output in [firstResult.stderr, secondResult.stderr] {
            #expect(!output.contains("locked"), "\(output)")
        }
        #expect(listings > 0)

        #expect(try await CatalogFile.integrityCheck(crate.home + "/catalog.sqlite") == "ok")
        let releases = try await crate.run(["releases", "--json"])
        let list = try JSONSerialization.jsonObject(with: Data(releases.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(Set(list.compactMap { $0["title"] as? String }) == ["Album", "EP"], "\(releases.stdout)")
        let verify = try await crate.run(["verify", "--all"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }

    @Test func aJobAnotherLiveProcessRunsIsRefusedAndADeadOnesIsTakenOver() async throws {
        var crate = try CrateProcess()
        defer { crate.removeHome() }
        let album = try crate.makeAlbum("Claimed - Album (2024)", files: 4, size: 1 << 20)
        crate.environment["CRATE_PASSPHRASE"] = "correct horse battery staple"
        let added = try await crate.run([
            "profile", "add", "p", "--local", crate.home + "/store", "--encrypted", "--chunked",
        ])
        #expect(added.status == 0, "\(added.stderr)")

        // The first process waits at the passphrase (a FIFO nobody has written yet; an import
        // asks for it as its job starts): alive, holding its job's lock file, for as long as the
        // second one takes to try.
        let fifo = crate.home + "/passphrase"
        #expect(mkfifo(fifo, 0o600) == 0)
        let first = try crate.start(["import", "--json", "--passphrase-file", fifo, album])
        let job = try #require(try await Self.claimedJob(in: crate.home + "/locks"), "no job was claimed")
        let refused = try #require(try await crate.start(["import", "--resume"]).finished(timeout: Self.timeout))
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains(
                "import job \(job) (\(album)) is being run by another crate process (pid \(first.pid)); wait for it "
                    + "to finish, or stop that process and run `crate import --resume`"), "\(refused.stderr)")
        try await Self.write("correct horse battery staple\n", toFIFO: fifo)
        let finished = try #require(await first.finished(timeout: Self.timeout), "the first import hung")
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stdout.contains("\"outcome\":\"committed\""), "\(finished.stdout)")

        // A process killed with SIGKILL holds nothing: the next --resume takes its job over.
        let other = try crate.makeAlbum("Killed - Album (2024)", files: 4, size: 1 << 20)
        let killed = try await crate.runUntil(["import", "--json", other]) { events in
            events.contains { $0["event"] as? String == "object" }
        }
        #expect(killed.killed)
        let resumed = try #require(try await crate.start(["import", "--resume"]).finished(timeout: Self.timeout))
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let releases = try await crate.run(["releases", "--json"])
        let list = try JSONSerialization.jsonObject(with: Data(releases.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(list.count == 2, "\(releases.stdout)")
        #expect(try await crate.run(["verify", "--all"]).status == 0)
        #expect(try await CatalogFile.integrityCheck(crate.home + "/catalog.sqlite") == "ok")
    }

    /// Writes `text` into a FIFO once its reader has opened it (for at most `timeout` seconds).
    static func write(_ text: String, toFIFO path: String) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var fd: Int32 = -1
        while fd < 0 && Date() < deadline {
            fd = open(path, O_WRONLY | O_NONBLOCK)
            if fd < 0 { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        guard fd >= 0 else { throw POSIXError(.ENXIO) }
        defer { close(fd) }
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    /// The job whose lock file appears in `folder` (waiting for it).
    static func claimedJob(in folder: String) async throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            if let lock = names.first(where: { $0.hasSuffix(".lock") }) { return String(lock.dropLast(5)) }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return nil
    }
}
