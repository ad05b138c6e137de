import Foundation
import Testing

@testable import CrateImporter

/// The release-detection rule on small trees: what is one release, what is searched, what is
/// skipped, and the corner cases (loose tracks beside albums, symbolic-link loops, no audio).
@Suite struct ReleaseFinderTests {
    let root = NSTemporaryDirectory() + "crate-finder-\(UUID().uuidString)"

    func touch(_ relative: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
    }

    @Test func discFolderNames() {
        for name in ["CD1", "cd 2", "Disc 03", "DISC-4", "Disk 02", "disk_1", "DVD1", "CD1 - The Early Years"] {
            #expect(ReleaseFinder.isDiscFolder(name), "\(name)")
        }
        for name in ["CDs", "Discography", "Disco", "Diskette", "Scans", "1CD", "CD", "Disc One"] {
            #expect(!ReleaseFinder.isDiscFolder(name), "\(name)")
        }
    }

    @Test func anAlbumFolderIsOneReleaseWithItsDiscsAndExtras() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try touch("Album/CD1/01.flac")
        try touch("Album/Disc 2/01.mp3")
        try touch("Album/Scans/front.jpg")
        let found = try ReleaseFinder.find(root + "/Album")
        #expect(found.releases == [root + "/Album"])
        #expect(found.skipped.isEmpty && found.notes.isEmpty)
    }

    @Test func aLibraryGivesOneReleasePerAlbumAtAnyDepth() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try touch("A/2001 - One/01.flac")
        try touch("A/Singles/1999/Early/01.ogg")
        try touch("B/Double/CD1/01.flac")
        try touch("B/Double/CD2/01.flac")
        try touch("Artwork/wall.jpg")
        try touch("A/Notes/readme.txt")
        try touch("loose.txt")
        let found = try ReleaseFinder.find(root)
        #expect(
            found.releases == [root + "/A/2001 - One", root + "/A/Singles/1999/Early", root + "/B/Double"])
        #expect(found.skipped.map(\.path) == [root + "/A/Notes", root + "/Artwork"])
        #expect(found.skipped.allSatisfy { $0.reason == "no audio files in it" })
    }

    @Test func tracksBesideAlbumFoldersMakeOneReleaseWithANote() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try touch("Artist/single.flac")
        try touch("Artist/Album/01.flac")
        let found = try ReleaseFinder.find(root)
        #expect(found.releases == [root + "/Artist"])
        #expect(found.notes.count == 1)
        #expect(found.notes.first?.contains("(Album)") == true)
    }

    @Test func aLinkLoopIsSkippedAndATreeWithoutAudioIsOneRelease() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try touch("Artist/Album/01.flac")
        try FileManager.default.createSymbolicLink(atPath: root + "/Artist/Again", withDestinationPath: root)
        let found = try ReleaseFinder.find(root)
        #expect(found.releases == [root + "/Artist/Album"])
        #expect(found.skipped.map(\.path) == [root + "/Artist/Again"])

        try touch("Empty/Nothing/readme.txt")
        let data = try ReleaseFinder.find(root + "/Empty")
        #expect(data.releases == [root + "/Empty"])
        #expect(data.notes == ["no audio files in \(root)/Empty or below; it is imported as one release"])
        #expect(throws: ImportError.missingSource(root + "/Missing")) { try ReleaseFinder.find(root + "/Missing") }
    }
}
