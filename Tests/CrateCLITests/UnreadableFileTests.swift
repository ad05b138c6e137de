import Foundation
import Testing

/// A release folder with a file its user cannot read. Root reads everything, so as root the
/// real `crate` runs as `nobody` (setpriv, util-linux) in a home that user owns.
@Suite struct UnreadableFileTests {
    static let nobody: uid_t = 65534

    @Test func anUnreadableFileIsNamedAndNothingIsStored() async throws {
        var crate = try CrateProcess()
        defer { crate.removeHome() }
        let asRoot = getuid() == 0
        if asRoot {
            crate.launcher = ["/usr/bin/setpriv", "--reuid=\(Self.nobody)", "--regid=\(Self.nobody)", "--clear-groups"]
        }
        let earlier = try crate.makeAlbum("Readable - Album (2020)", files: 2, size: 300_000)
        let album = try crate.makeAlbum("Locked - Album (2024)", files: 3, size: 300_000)
        let locked = album + "/02.wav"
        #expect(chmod(locked, 0) == 0)
        if asRoot { try Self.giveToNobody(crate.home) }

        let added = try await crate.run(["profile", "add", "p", "--local", crate.home + "/store", "--chunked"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try await crate.run(["import", earlier]).status == 0)
        let storedBefore = try Self.files(under: crate.home + "/store")

        let refused = try await crate.run(["import", album])
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains(
                "cannot read \(locked) (Permission denied); fix its permissions or move it out of the release folder"),
            "\(refused.stderr)")
        #expect(try Self.files(under: crate.home + "/store") == storedBefore, "something was stored")
        let releases = try await crate.run(["releases", "--json"])
        let list = try JSONSerialization.jsonObject(with: Data(releases.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(list.compactMap { $0["title"] as? String } == ["Album"], "\(releases.stdout)")
        #expect(try await crate.run(["import", "--resume"]).stderr.contains("no unfinished import jobs"))
        let verify = try await crate.run(["verify", "--all"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        #expect(try await CatalogFile.integrityCheck(crate.home + "/catalog.sqlite") == "ok")
    }

    /// A read-only home (a catalog on read-only media, or a home another user lends): the
    /// commands that only read work; one that writes says what it needs; nothing changes.
    @Test func readOnlyCommandsWorkOnAReadOnlyHome() async throws {
        var crate = try CrateProcess()
        defer {
            chmod(crate.home, 0o700)
            crate.removeHome()
        }
        let asRoot = getuid() == 0
        if asRoot {
            crate.launcher = ["/usr/bin/setpriv", "--reuid=\(Self.nobody)", "--regid=\(Self.nobody)", "--clear-groups"]
        }
        let album = try crate.makeAlbum("Artist - Album (2020)", files: 2, size: 300_000)
        try FileManager.default.createDirectory(atPath: crate.home + "/out", withIntermediateDirectories: true)
        if asRoot { try Self.giveToNobody(crate.home) }
        #expect(
            try await crate.run(["profile", "add", "p", "--local", crate.home + "/store", "--chunked"]).status == 0)
        let imported = try await crate.run(["import", album])
        #expect(imported.status == 0, "\(imported.stderr)")
        let id = imported.releaseIdPrefix
        let catalog = crate.home + "/catalog.sqlite"
        #expect(chmod(catalog, 0o400) == 0 && chmod(crate.home, 0o500) == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: catalog))

        for arguments in [
            ["releases"], ["show", id], ["profile", "list"], ["profile", "show", "p"], ["verify", "--all"],
            ["cat", id, "01.wav"], ["export", id, crate.home + "/out/restored"],
        ] {
            let result = try await crate.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        #expect(try await crate.run(["releases"]).stdout.contains("Album"))
        #expect(FileManager.default.fileExists(atPath: crate.home + "/out/restored/02.wav"))
        let refused = try await crate.run(["profile", "add", "q", "--local", crate.home + "/out/q"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("needs write access"), "\(refused.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: catalog)) == before, "the catalog is unchanged")
        #expect(chmod(crate.home, 0o700) == 0 && chmod(catalog, 0o600) == 0)
    }

    /// Hands `folder` and everything in it to `nobody`.
    static func giveToNobody(_ folder: String) throws {
        #expect(chown(folder, nobody, nobody) == 0)
        for relative in try FileManager.default.subpathsOfDirectory(atPath: folder) {
            #expect(chown(folder + "/" + relative, nobody, nobody) == 0)
        }
    }

    /// Every file under `folder`, by relative path.
    static func files(under folder: String) throws -> Set<String> {
        Set(try FileManager.default.subpathsOfDirectory(atPath: folder))
    }
}
