import CrateTestSupport
import Foundation
import Testing

/// A real `crate import` killed with SIGKILL mid-transfer, then resumed: the export is
/// byte-identical and no object is uploaded twice beyond those in flight at the kill.
@Suite struct ImportKillResumeTests {
    enum Layout: String, CaseIterable, Sendable {
        case sealedChunkedLocal, sealedWholeFileLocal, plainWholeFileS3
    }

    @Test(arguments: Layout.allCases)
    func resumesAKilledImportWithoutStoringObjectsTwice(layout: Layout) async throws {
        var crate = try CrateProcess()
        defer { crate.removeHome() }
        crate.environment["CRATE_PASSPHRASE"] = "correct horse battery staple"
        let album = crate.home + "/Kill Test - Album (2024)"
        try FileManager.default.createDirectory(atPath: album, withIntermediateDirectories: true)
        for index in 1...6 {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
            try handle.readData(ofLength: 6 << 20).write(to: URL(fileURLWithPath: album + "/0\(index).wav"))
        }
        var add = ["profile", "add", "vault"]
        switch layout {
        case .sealedChunkedLocal:
            add += ["--local", crate.home + "/store", "--encrypted", "--chunked", "--chunk-size", "1MiB"]
        case .sealedWholeFileLocal:
            add += ["--local", crate.home + "/store", "--encrypted"]
        case .plainWholeFileS3:
            add += [
                "--s3", "s3://\(try await MotoBucket.create("kill"))/k", "--endpoint", try MotoBucket.endpoint(),
                "--path-style",
            ]
        }
        let added = try await crate.run(add)
        #expect(added.status == 0, "\(added.stderr)")
        let enough = layout == .sealedChunkedLocal ? 8 : 2

        // First run: kill -9 after a few objects are stored.
        let first = try await crate.runUntil(["import", "--json", album]) { events in
            events.filter { $0["event"] as? String == "object" }.count >= enough
        }
        #expect(first.killed, "the import finished before it could be killed")
        #expect(!first.events.contains { $0["event"] as? String == "finished" })
        let storedBeforeKill = Set(
            first.events.filter { $0["event"] as? String == "object" }.compactMap { $0["key"] as? String })
        #expect(storedBeforeKill.count >= enough)
        // On a local profile, an object written again gets a new inode: note them now.
        func inodes() -> [String: UInt64] {
            var result: [String: UInt64] = [:]
            guard layout != .plainWholeFileS3 else { return result }
            for key in storedBeforeKill {
                var info = stat()
                if stat(crate.home + "/store/" + key, &info) == 0 { result[key] = UInt64(info.st_ino) }
            }
            return result
        }
        let before = inodes()
        #expect(before.count == (layout == .plainWholeFileS3 ? 0 : storedBeforeKill.count))

        // The catalog shows the unfinished job and no release.
        #expect(
            try await crate.run(["releases", "--json"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                == "[\n\n]")

        // Resume.
        let resumed = try await crate.run(["import", "--resume", "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let events = resumed.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let objects = events.filter { $0["event"] as? String == "object" }
        let storedAgain = objects.filter { $0["skipped"] as? Bool == false }.compactMap { $0["key"] as? String }
        let skipped = objects.filter { $0["skipped"] as? Bool == true }.compactMap { $0["key"] as? String }
        #expect(Set(storedAgain).isDisjoint(with: storedBeforeKill), "objects stored twice")
        #expect(inodes() == before, "an object recorded before the kill was written again")
        #expect(Set(skipped).isSuperset(of: storedBeforeKill))
        if layout == .sealedChunkedLocal {
            // The writer keeps up to 16 MiB of chunks in flight (ChunkWindow): 16 chunks of 1 MiB,
            // plus the one being filled, may have landed unreported.
            #expect(
                skipped.count <= storedBeforeKill.count + 17, "only the objects in flight may have landed unreported")
        } else {
            // A whole file is kept when the job recorded it (with its hash); a kill between the
            // catalog's record and the JSON line can add one or two more.
            #expect(Set(skipped).isSuperset(of: storedBeforeKill))
            #expect(skipped.count <= storedBeforeKill.count + 8, "only the files in flight")
        }
        let finished = try #require(events.last)
        #expect(finished["outcome"] as? String == "committed")
        let id = try #require(finished["release"] as? String)

        let export = try await crate.run(["export", id, crate.home + "/restored"])
        #expect(export.status == 0, "\(export.stderr)")
        for index in 1...6 {
            let original = try Data(contentsOf: URL(fileURLWithPath: album + "/0\(index).wav"))
            let restored = try Data(contentsOf: URL(fileURLWithPath: crate.home + "/restored/0\(index).wav"))
            #expect(original == restored, "file 0\(index) differs")
        }
        #expect(try await crate.run(["import", "--resume"]).stderr.contains("no unfinished import jobs"))
    }
}

/// Ctrl-C pauses an import: what it stored stays, `--resume` goes on skipping it, and
/// `--cancel` instead deletes it.
@Suite struct ImportInterruptTests {
    static func pausedImport(_ crate: inout CrateProcess) async throws -> (album: String, stored: Set<String>) {
        let album = crate.home + "/Pause Test - Album (2024)"
        try FileManager.default.createDirectory(atPath: album, withIntermediateDirectories: true)
        for index in 1...6 {
            let random = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
            try random.readData(ofLength: 6 << 20).write(to: URL(fileURLWithPath: album + "/0\(index).wav"))
        }
        let add = try await crate.run([
            "profile", "add", "home", "--local", crate.home + "/store", "--chunked", "--chunk-size", "1MiB",
        ])
        #expect(add.status == 0, "\(add.stderr)")
        let run = try await crate.runUntil(["import", "--json", album], signal: SIGINT) { events in
            events.filter { $0["event"] as? String == "object" }.count >= 4
        }
        let finished = try #require(run.events.last { $0["event"] as? String == "finished" })
        #expect(finished["outcome"] as? String == "paused", "\(finished)")
        #expect(run.status == 1, "nothing was imported")
        let stored = Set(
            run.events.filter { $0["event"] as? String == "object" }.compactMap { $0["key"] as? String })
        #expect(stored.count >= 4)
        for key in stored {
            #expect(FileManager.default.fileExists(atPath: crate.home + "/store/" + key), "\(key) was kept")
        }
        return (album, stored)
    }

    @Test func ctrlCPausesAndResumeSkipsWhatWasStored() async throws {
        var crate = try CrateProcess()
        defer { crate.removeHome() }
        let (_, stored) = try await Self.pausedImport(&crate)
        let resumed = try await crate.run(["import", "--resume", "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let skipped = resumed.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["event"] as? String == "object" && $0["skipped"] as? Bool == true }.compactMap {
            $0["key"] as? String
        }
        #expect(Set(skipped).isSuperset(of: stored))
        #expect(resumed.stdout.contains("\"outcome\":\"committed\""))
    }

    @Test func cancelEndsAPausedImportDeletingWhatItStored() async throws {
        var crate = try CrateProcess()
        defer { crate.removeHome() }
        let (album, stored) = try await Self.pausedImport(&crate)
        let cancelled = try await crate.run(["import", "--cancel", album])
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        #expect(cancelled.stdout.contains("cancelled the import of \(album): deleted "))
        let deleted = cancelled.stdout.split(separator: " ").drop { $0 != "deleted" }.dropFirst().first
        #expect(Int(deleted ?? "") ?? 0 >= stored.count, "\(cancelled.stdout)")
        for key in stored {
            #expect(!FileManager.default.fileExists(atPath: crate.home + "/store/" + key), "\(key) was deleted")
        }
        #expect(try await crate.run(["import", "--resume"]).stderr.contains("no unfinished import jobs"))
        #expect(try await crate.run(["import", "--cancel"]).stderr.contains("no unfinished import jobs to cancel"))
    }
}

extension CrateProcess {
    struct KilledRun: @unchecked Sendable {
        var events: [[String: Any]]
        var killed: Bool
        var status: Int32
    }

    /// Runs crate with `--json` output and sends it `signal` (SIGKILL unless told) once `enough`
    /// holds for the events so far. Reads and waits on a thread of its own, off the pool.
    func runUntil(
        _ arguments: [String], signal: Int32 = SIGKILL, enough: @escaping @Sendable ([[String: Any]]) -> Bool
    ) async throws -> KilledRun {
        let process = makeProcess(arguments)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let exited = DispatchGroup()
        exited.enter()
        process.terminationHandler = { _ in exited.leave() }
        do { try process.run() } catch {
            exited.leave()
            throw error
        }
        return await offThePool { Self.follow(process, out, exited, signal: signal, enough: enough) }
    }

    private static func follow(
        _ process: Process, _ out: Pipe, _ exited: DispatchGroup, signal: Int32,
        enough: ([[String: Any]]) -> Bool
    ) -> KilledRun {
        var events: [[String: Any]] = []
        var buffer = Data()
        var killed = false
        while true {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            buffer.append(data)
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                if let event = try? JSONSerialization.jsonObject(with: line) as? [String: Any] { events.append(event) }
            }
            if !killed && enough(events) {
                kill(process.processIdentifier, signal)
                killed = true
            }
        }
        exited.wait()
        return KilledRun(
            events: events,
            killed: killed && (signal != SIGKILL || process.terminationReason == .uncaughtSignal),
            status: process.terminationStatus)
    }
}
