import CrateTestSupport
import Foundation
import Testing

/// Hostile input through the real binary: tags, folder and profile names carrying terminal
/// escape sequences reach the terminal only as visible `\xNN` text, `--json` keeps the exact
/// values, and source files with control characters or links out of the folder are refused.
@Suite struct HostileInputCommandTests {
    /// Window title (OSC 0), clipboard write (OSC 52), clear screen (CSI 2J), alternate screen.
    static let title = "\u{1B}]0;pwned\u{07}"
    static let clipboard = "\u{1B}]52;c;ZXZpbA==\u{07}"
    static let clear = "\u{1B}[2J"
    static let alternate = "\u{1B}[?1049h"

    @Test func escapeSequencesNeverReachTheTerminal() async throws {
        let crate = try CrateProcess()
        defer { crate.removeHome() }
        let album = crate.home + "/Evil\(Self.alternate) - Album (2001)"
        try FileManager.default.createDirectory(atPath: album, withIntermediateDirectories: true)
        let track = album + "/01 - Track.flac"
        try FileManager.default.copyItem(
            atPath: Fixtures.album + "/01 - Överture.flac", toPath: track)
        let tag = try await Tool.run([
            "metaflac", "--remove-all-tags", "--set-tag=ARTIST=Art\(Self.title)ist",
            "--set-tag=ALBUM=Al\(Self.clipboard)bum", "--set-tag=TITLE=Ti\(Self.clear)tle", "--set-tag=TRACKNUMBER=1",
            track,
        ])
        #expect(tag.status == 0, "\(tag.errorText)")

        #expect(try await crate.run(["profile", "add", "vault", "--local", crate.home + "/vault"]).status == 0)
        var outputs: [(String, CrateProcess.Result)] = []
        let imported = try await crate.run(["import", album])
        #expect(imported.status == 0, "\(imported.stderr)")
        outputs.append(("import", imported))
        for arguments in [
            ["releases"], ["show", imported.releaseIdPrefix], ["verify", "--all"],
            ["show", "nosuch\(Self.title)"], ["profile", "add", "x\(Self.clear)", "--local", crate.home + "/x"],
            ["export", imported.releaseIdPrefix, crate.home + "/out"],
        ] {
            outputs.append((arguments.joined(separator: " "), try await crate.run(arguments)))
        }
        for (command, result) in outputs {
            #expect(!result.stdout.contains("\u{1B}") && !result.stderr.contains("\u{1B}"), "\(command)")
            #expect(!result.stdout.contains("\u{07}") && !result.stderr.contains("\u{07}"), "\(command)")
        }
        let releases = outputs.first { $0.0 == "releases" }!.1.stdout
        #expect(releases.contains("Art\\x1B]0;pwned\\x07ist"), "shown, visibly: \(releases)")
        let show = outputs.first { $0.0.hasPrefix("show ") }!.1.stdout
        #expect(show.contains("Art\\x1B]0;pwned\\x07ist — Al\\x1B]52;c;ZXZpbA==\\x07bum"), "\(show)")
        #expect(outputs.first { $0.0.hasPrefix("show nosuch") }!.1.stderr.contains("nosuch\\x1B]0;pwned\\x07"))

        // JSON keeps the exact values (JSON itself escapes the control characters).
        let json = try await crate.run(["releases", "--json"])
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.first?["artist"] as? String == "Art\(Self.title)ist")
        #expect(!json.stdout.contains("\u{1B}"))
    }

    @Test func controlCharactersInFileNamesAndLinksOutsideAreRefusedAtScan() async throws {
        let crate = try CrateProcess()
        defer { crate.removeHome() }
        #expect(try await crate.run(["profile", "add", "vault", "--local", crate.home + "/vault"]).status == 0)
        let album = try crate.makeAlbum("Artist - Album (2000)", files: 2, size: 1000)
        let evil = album + "/notes\(Self.title).txt"
        try Data("x".utf8).write(to: URL(fileURLWithPath: evil))
        let refused = try await crate.run(["import", album])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("contains a control character") && !refused.stderr.contains("\u{1B}"))
        try FileManager.default.removeItem(atPath: evil)

        try Data("secret".utf8).write(to: URL(fileURLWithPath: crate.home + "/outside.txt"))
        try FileManager.default.createSymbolicLink(
            atPath: album + "/notes.txt", withDestinationPath: crate.home + "/outside.txt")
        let outside = try await crate.run(["import", album])
        #expect(outside.status == 64)
        #expect(outside.stderr.contains("outside the release folder") && outside.stderr.contains("--follow-symlinks"))
        #expect(!FileManager.default.fileExists(atPath: crate.home + "/vault/manifests"), "nothing stored")
        let followed = try await crate.run(["import", "--follow-symlinks", album])
        #expect(followed.status == 0, "\(followed.stderr)")
        #expect(try await crate.run(["cat", followed.releaseIdPrefix, "notes.txt"]).stdout == "secret")
    }
}

extension CrateProcess.Result {
    /// The release id prefix `crate import` printed ("imported as 0123456789ab").
    var releaseIdPrefix: String {
        guard let range = stderr.range(of: "imported as ") else { return "" }
        return String(stderr[range.upperBound...].prefix(12))
    }
}
