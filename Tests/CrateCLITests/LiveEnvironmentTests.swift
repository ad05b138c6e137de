import CrateAppModel
import CrateCatalog
import CrateCover
import CrateImporter
import CrateTestSupport
import Foundation
import Testing

@testable import crate

/// The terminal UI's live effects on a real catalog and store (the reducer and screen tests use
/// an in-memory double): the cover read from the stored copy, and the review's audio check.
@Suite struct LiveEnvironmentTests {
    let crate: CrateProcess

    init() throws { crate = try CrateProcess() }

    /// A red/blue PNG made with ImageMagick, written as `cover.png` into `folder`.
    func writeCover(into folder: String) async throws {
        let convert = try await Tool.run([
            "convert", "-size", "64x64", "xc:#0000ff", "-fill", "#ff0000", "-draw", "rectangle 0,0 63,31",
            folder + "/cover.png",
        ])
        #expect(convert.status == 0, "convert failed: is ImageMagick installed?")
    }

    func environment() throws -> (Environment, Catalog) {
        let catalog = try Catalog.open(path: crate.home + "/catalog.sqlite")
        return (try LiveEnvironment.make(catalog: catalog, passphraseFile: nil), catalog)
    }

    /// The cover comes from the stored copy through the reader that checks each file's SHA-256:
    /// decoded when intact (red above blue), refused when the stored bytes were altered, and
    /// never a passphrase prompt — a copy on a locked profile is said to be locked.
    @Test func theCoverIsReadFromTheStoredCopyAndItsHashChecked() async throws {
        defer { crate.removeHome() }
        let album = try await AudioAlbum.make(crate.home + "/Artist - Cover (2003)", tracks: [.good])
        try FileManager.default.removeItem(atPath: album + "/cover.jpg")  // AudioAlbum's stand-in
        try await writeCover(into: album)
        #expect(try await crate.run(["profile", "add", "plain", "--local", crate.home + "/store"]).status == 0)
        let imported = try await crate.run(["import", album])
        #expect(imported.status == 0, "\(imported.stderr)")
        let (env, catalog) = try environment()
        let id = try #require(try catalog.releases().first?.release.id)
        let detail = try await env.loadReleaseDetail(id)
        #expect(detail.cover == "cover.png", "\(String(describing: detail.cover))")

        let cover = try await env.loadCover(id, "cover.png")
        #expect(cover.width == 32 && cover.height == 32)
        let (top, bottom) = (cover[16, 4], cover[16, 28])
        #expect(top.red > 200 && top.blue < 60, "\(top)")
        #expect(bottom.blue > 200 && bottom.red < 60, "\(bottom)")

        // A second copy, on an encrypted profile whose passphrase this session does not have.
        var locked = crate
        locked.environment["CRATE_PASSPHRASE"] = "a long enough passphrase"
        #expect(
            try await locked.run(["profile", "add", "vault", "--local", crate.home + "/vault", "--encrypted"]).status
                == 0)
        let copied = try await locked.run(["copy", id, "--to", "vault"])
        #expect(copied.status == 0, "\(copied.stderr)")

        // The stored cover altered (a plain whole-file profile keeps it as a file of its name).
        let found = try #require(
            FileManager.default.enumerator(atPath: crate.home + "/store")?.allObjects.compactMap { $0 as? String }
                .first { $0.hasSuffix("/cover.png") })
        let stored = crate.home + "/store/" + found
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: stored)))
        bytes[bytes.count / 2] ^= 0xFF
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: stored)
        try Data(bytes).write(to: URL(fileURLWithPath: stored))

        // The locked copy is passed over (no prompt), the plain one fails its check.
        await #expect(throws: (any Error).self) { _ = try await env.loadCover(id, "cover.png") }
        #expect(try await crate.run(["rm", id, "--profile", "plain", "--yes"]).status == 0)
        let onlyLocked = try environment().0
        do {
            _ = try await onlyLocked.loadCover(id, "cover.png")
            Issue.record("a cover was read from a locked profile")
        } catch {
            #expect("\(error)".contains("locked"), "\(error)")
        }
    }

    /// The review's audio check (what the Import screen shows before the user decides) names
    /// the damaged files of a folder, and counts a FLAC without an MD5 as uncheckable.
    @Test func theReviewsAudioCheckNamesDamagedFiles() async throws {
        defer { crate.removeHome() }
        let album = try await AudioAlbum.make(
            crate.home + "/Artist - Damaged (2004)", tracks: [.good, .flipped, .noMD5, .truncatedMP3])
        #expect(try await crate.run(["profile", "add", "plain", "--local", crate.home + "/store"]).status == 0)
        let (env, _) = try environment()
        let review = try await env.reviewFolder(album, nil)
        #expect(review.audio == AudioPreflight(files: 4))
        let audio = try await env.checkAudio(album)
        #expect(audio.isDone && audio.files == 4 && audio.uncheckable == 1)
        #expect(audio.damaged.map(\.path) == ["02 - Flipped.flac", "06 - Truncated.mp3"], "\(audio.damaged)")
    }
}
