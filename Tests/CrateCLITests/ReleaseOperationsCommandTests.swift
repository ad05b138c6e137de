import Foundation
import Testing

/// The release operations end to end through the built binary: verify, copy, rm, gc, recover,
/// profile passwd and recovery-code.
@Suite struct ReleaseOperationsCommandTests {
    static let album = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/album/Björk Guðmundsdóttir - Tōkyō Sessions (2004)").path
    static let passphrase = "correct horse battery staple"

    let crate: CrateProcess

    init() throws {
        var crate = try CrateProcess()
        crate.environment["CRATE_PASSPHRASE"] = Self.passphrase
        self.crate = crate
    }

    func run(_ arguments: [String], _ process: CrateProcess? = nil) async throws -> CrateProcess.Result {
        let result = try await (process ?? crate).run(arguments)
        return result
    }

    func importedReleaseId(_ profile: String) async throws -> String {
        let result = try await run(["import", Self.album, "--profile", profile])
        #expect(result.status == 0, "\(result.stderr)")
        let list = try await run(["releases", "--json"])
        let releases = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        return try #require(releases.first?["id"] as? String)
    }

    func files(in folder: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { result[path] = FileManager.default.contents(atPath: folder + "/" + path) }
        }
        return result
    }

    @Test func copiesToSealedChunkedS3AndBackThenVerifiesRemovesAndCollects() async throws {
        defer { crate.removeHome() }
        let bucket = try await MotoBucket.create("ops")
        let endpoint = try MotoBucket.endpoint()
        #expect(try await run(["profile", "add", "home", "--local", crate.home + "/home"]).status == 0)
        let cloud = try await run([
            "profile", "add", "cloud", "--s3", "s3://\(bucket)/crate", "--endpoint", endpoint, "--path-style",
            "--encrypted", "--chunked", "--chunk-size", "256KiB",
        ])
        #expect(cloud.status == 0, "\(cloud.stderr)")
        #expect(try await run(["profile", "add", "back", "--local", crate.home + "/back"]).status == 0)
        let id = try await importedReleaseId("home")
        let original = try files(in: Self.album)

        let up = try await run(["copy", String(id.prefix(8)), "--to", "cloud"])
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stdout.contains("copied release"))
        let down = try await run(["copy", id, "--to", "back", "--from", "cloud", "--move"])
        #expect(down.status == 0, "\(down.stderr)")
        for profile in ["home", "back"] {
            let target = crate.home + "/export-" + profile
            let export = try await run(["export", id, target, "--profile", profile])
            #expect(export.status == 0, "\(export.stderr)")
            #expect(try files(in: target) == original)
        }
        let show = try await run(["releases", "--json"])
        #expect(show.stdout.contains("\"back\"") && !show.stdout.contains("\"cloud\""))

        let verify = try await run(["verify", "--all", "--json"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        // Damage one object of the copy on "back": verify names the release and the file.
        let stored = crate.home + "/back/releases"
        let cue = try #require(
            FileManager.default.enumerator(atPath: stored)?.allObjects.compactMap { $0 as? String }
                .first { $0.hasSuffix("rip.log") })
        try FileManager.default.removeItem(atPath: stored + "/" + cue)
        let failed = try await run(["verify", id, "--profile", "back"])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("FAILED"))
        #expect(failed.stdout.contains("Tōkyō Sessions"))
        #expect(failed.stdout.contains("missing object: rip.log"), "\(failed.stdout)")

        // rm needs --yes without a terminal; then only the copy on "back" goes.
        let refused = try await run(["rm", id, "--profile", "back"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("pass --yes"))
        let removed = try await run(["rm", id, "--profile", "back", "--yes"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(try await run(["verify", "--all"]).status == 0)

        // An orphan on "home": gc lists it first, then deletes exactly it.
        try Data("junk".utf8).write(to: URL(fileURLWithPath: crate.home + "/home/objects-placeholder"))
        try FileManager.default.createDirectory(
            atPath: crate.home + "/home/objects/ab/cd", withIntermediateDirectories: true)
        try Data("junk".utf8).write(to: URL(fileURLWithPath: crate.home + "/home/objects/ab/cd/abcdef"))
        let dry = try await run(["gc", "--profile", "home", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("orphan home: objects/ab/cd/abcdef"))
        #expect(FileManager.default.fileExists(atPath: crate.home + "/home/objects/ab/cd/abcdef"))
        let gc = try await run(["gc", "--profile", "home"])
        #expect(gc.stdout.contains("deleted 1 objects"), "\(gc.stdout)")
        #expect(!FileManager.default.fileExists(atPath: crate.home + "/home/objects/ab/cd/abcdef"))
        #expect(FileManager.default.fileExists(atPath: crate.home + "/home/objects-placeholder"))
        #expect(try await run(["verify", "--all"]).status == 0)
    }

    /// One sealed profile through passwd, recovery-code and recover, keeping the costly
    /// standard-cost key derivations (about 3 s each in a debug build) few.
    @Test func passwdRecoveryCodeAndRecoverIntoAnEmptyHome() async throws {
        defer { crate.removeHome() }
        let store = crate.home + "/vault"
        #expect(try await run(["profile", "add", "vault", "--local", store, "--encrypted", "--chunked"]).status == 0)
        let id = try await importedReleaseId("vault")
        let before = try await run(["releases", "--json"])
        let code = try await run(["profile", "recovery-code", "vault"])
        #expect(code.status == 0, "\(code.stderr)")
        let recoveryCode = code.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(recoveryCode.count == 79)

        var passwd = crate
        passwd.environment["CRATE_NEW_PASSPHRASE"] = "a brand new passphrase"
        let changed = try await passwd.run(["profile", "passwd", "vault"])
        #expect(changed.status == 0, "\(changed.stderr)")
        let old = try await run(["cat", id, "rip.log"])
        #expect(old.status == 1)
        #expect(old.stderr.contains("wrong passphrase for profile vault"))

        // A new machine: attach and recover with the recovery code alone.
        var fresh = try CrateProcess()
        fresh.environment["CRATE_PASSPHRASE"] = "wrong"
        fresh.environment["CRATE_RECOVERY_CODE"] = recoveryCode
        defer { fresh.removeHome() }
        let attach = try await fresh.run(["profile", "add", "vault", "--local", store])
        #expect(attach.stdout.contains("attached profile vault"), "\(attach.stderr)")
        let recover = try await fresh.run(["recover", "--profile", "vault"])
        #expect(recover.status == 0, "\(recover.stderr)")
        #expect(recover.stdout.contains("recovered 1 releases"))
        let after = try await fresh.run(["releases", "--json"])
        func essentials(_ json: String) throws -> [String] {
            let items = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
            return items.map { item in
                ["id", "artist", "title", "year", "profiles", "bytes"].map { "\(item[$0] ?? "-")" }.joined(
                    separator: "|")
            }
        }
        #expect(try essentials(after.stdout) == essentials(before.stdout))
        #expect(try essentials(after.stdout).count == 1)
        let verify = try await fresh.run(["verify", "--all"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")

        // The new passphrase unlocks there too (crate-profile.json was re-wrapped).
        var withNew = fresh
        withNew.environment["CRATE_PASSPHRASE"] = "a brand new passphrase"
        withNew.environment.removeValue(forKey: "CRATE_RECOVERY_CODE")
        let read = try await withNew.run(["cat", id, "rip.log"])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout.utf8.count == 89)
    }

    /// `CRATE_BWLIMIT` paces what is stored; a value that is not a rate is refused before
    /// anything is stored.
    @Test func anUploadLimitIsObeyedAndABadOneRefused() async throws {
        defer { crate.removeHome() }
        #expect(try await run(["profile", "add", "home", "--local", crate.home + "/home"]).status == 0)
        for bad in ["fast", "0", "12", "-1MiB"] {
            var limited = crate
            limited.environment["CRATE_BWLIMIT"] = bad
            let refused = try await limited.run(["import", Self.album])
            #expect(refused.status == 64)
            #expect(refused.stderr.contains("CRATE_BWLIMIT=\(bad) is not a rate"), "\(refused.stderr)")
            #expect(refused.stderr.contains("e.g. CRATE_BWLIMIT=8MiB"))
        }
        #expect(try await run(["releases"]).stdout.contains("no releases"), "nothing may be stored")
        var limited = crate
        limited.environment["CRATE_BWLIMIT"] = "4MiB/s"
        let imported = try await limited.run(["import", Self.album])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try await run(["verify", "--all"]).status == 0)
    }

    /// A folder that cannot be imported as given is bad input (exit 64), one that is not there
    /// is not found (66); the path is named either way.
    @Test func aBadSourceFolderExitsWith64AndAMissingOneWith66() async throws {
        defer { crate.removeHome() }
        #expect(try await run(["profile", "add", "home", "--local", crate.home + "/home"]).status == 0)
        let empty = crate.home + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        for (path, status) in [(crate.home + "/no-such-album", 66), (empty, 64), (crate.home + "/catalog.sqlite", 64)] {
            let result = try await run(["import", path])
            #expect(result.status == Int32(status), "\(path): \(result.stderr)")
            #expect(result.stderr.contains(path), "\(result.stderr)")
        }
    }

    /// Exit statuses come from one place, by kind: a profile, release or copy that is not there
    /// is 66 whichever command names it; a value that is wrong is 64.
    @Test func whatIsNotThereExitsWith66WhateverTheCommand() async throws {
        defer { crate.removeHome() }
        #expect(try await run(["profile", "add", "home", "--local", crate.home + "/home"]).status == 0)
        let id = try await importedReleaseId("home")
        let cases: [([String], String)] = [
            (["import", Self.album, "--profile", "nosuch"], "nosuch"),
            (["export", id, crate.home + "/out", "--profile", "nosuch"], "nosuch"),
            (["cat", "ffffffffffff", "rip.log"], "ffffffffffff"),
            (["rm", "ffffffffffff", "--yes"], "ffffffffffff"),
        ]
        for (arguments, named) in cases {
            let result = try await run(arguments)
            #expect(result.status == 66, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(named), "\(arguments): \(result.stderr)")
        }
        let duplicate = try await run(["profile", "add", "home", "--local", crate.home + "/again"])
        #expect(duplicate.status == 64, "\(duplicate.stderr)")
    }

    /// Options that contradict each other or do not parse are refused before anything is
    /// opened (`validate()`), with exit 64 and the option named.
    @Test func contradictoryOrMalformedOptionsExitWith64() async throws {
        defer { crate.removeHome() }
        let cases: [([String], String)] = [
            (["profile", "add", "p", "--local", crate.home + "/p", "--s3", "s3://b/x"], "--local or --s3"),
            (["profile", "add", "p", "--local", crate.home + "/p", "--region", "eu-west-1"], "--region"),
            (["profile", "add", "p", "--s3", "s3://b/x", "--path-style", "--virtual-hosted"], "--path-style"),
            (
                ["profile", "add", "p", "--local", crate.home + "/p", "--chunked", "--chunk-size", "3MiB"],
                "power of two"
            ),
            (["profile", "edit", "p", "--chunk-size", "lots"], "--chunk-size"),
            (["cat", "ffffffffffff", "rip.log", "--range", "9-2"], "--range 9-2"),
        ]
        for (arguments, named) in cases {
            let result = try await run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(named), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: crate.home + "/p"))
    }
}
