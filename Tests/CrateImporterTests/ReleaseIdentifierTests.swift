import Foundation
import Testing

@testable import CrateImporter

@Suite struct ReleaseIdentifierTests {
    @Test func identifiesTheFixtureAlbumFromItsTags() throws {
        let files = try SourceScanner.scan(Fixtures.album)
        let release = ReleaseIdentifier.identify(folder: Fixtures.album, files: files)
        #expect(release.artist == "Björk Guðmundsdóttir")
        #expect(release.title == "Tōkyō Sessions")
        #expect(release.year == 2004)
        #expect(release.label == "One Little Indian")
        #expect(release.catalogNumber == "TPLP 358")
        #expect(release.warnings.isEmpty, "\(release.warnings)")
        #expect(release.tracks.count == 4)
        let second = release.tracks[1].tags
        #expect(second.title == "東京の夜")
        #expect(second.trackNumber == 2)
        #expect(second.discNumber == 1)
        #expect(second.durationMs == 2000)
        let mp3 = release.tracks[3].tags
        #expect(mp3.title == "Hidden Track")
        #expect(mp3.albumArtist == "Björk Guðmundsdóttir")
        #expect(mp3.trackNumber == 4)
        #expect(mp3.discNumber == 1)
        #expect(mp3.label == "One Little Indian")
        #expect((1000...2000).contains(mp3.durationMs ?? 0))
        #expect(release.cover?.relativePath == "cover.jpg")
        #expect(release.cover?.width == 300 && release.cover?.height == 300)
        #expect(release.images.first { $0.relativePath == "Scans/back.png" }?.kind == .back)
        #expect(release.images.first { $0.relativePath == "Scans/back.png" }?.width == 120)
    }

    @Test func fallsBackToTheFolderNameAndWarnsAboutMissingTags() throws {
        let directory = try TemporaryDirectory()
        try directory.write("Nina Simone - Pastel Blues (1965)/01.flac", "not really flac")
        let folder = directory.path + "/Nina Simone - Pastel Blues (1965)"
        let release = ReleaseIdentifier.identify(folder: folder, files: try SourceScanner.scan(folder))
        #expect(release.artist == "Nina Simone")
        #expect(release.title == "Pastel Blues")
        #expect(release.year == 1965)
        #expect(release.warnings == ["1 of 1 audio files have no tags: 01.flac"])
    }

    @Test func warnsAboutMixedTags() {
        var warnings: [String] = []
        let album = ReleaseIdentifier.majority(["A", "A", "B"], field: "album", warnings: &warnings)
        #expect(album == "A")
        #expect(warnings == ["mixed album tags: A (2), B (1); using A"])
        var quiet: [String] = []
        #expect(
            ReleaseIdentifier.majority(["X", "Y"], field: "artist", warnings: &quiet, variousIfMixed: true)
                == "Various Artists")
    }

    @Test(arguments: [
        ("Nina Simone - Pastel Blues (1965)", "Nina Simone", "Pastel Blues", 1965),
        ("Can - 1971 - Tago Mago", "Can", "Tago Mago", 1971),
        ("Autechre - Confield", "Autechre", "Confield", nil),
        ("Untitled", nil, "Untitled", nil),
    ])
    func readsFolderNames(folder: String, artist: String?, album: String, year: Int?) {
        let name = FolderName(folder)
        #expect(name.artist == artist && name.album == album && name.year == year)
    }

    @Test func parsesCueSheets() throws {
        let text = """
            REM DATE 1999
            CATALOG 0724384260927
            PERFORMER "Air"
            TITLE "Moon Safari"
            FILE "01 La femme d'argent.wav" WAVE
              TRACK 01 AUDIO
                TITLE "La femme d'argent"
                PERFORMER "Air"
                INDEX 01 00:00:00
            """
        let sheet = CueSheet.parse(Data(text.utf8))
        #expect(sheet.performer == "Air" && sheet.title == "Moon Safari" && sheet.year == 1999)
        #expect(sheet.catalog == "0724384260927")
        #expect(
            sheet.tracks == [
                .init(number: 1, file: "01 La femme d'argent.wav", title: "La femme d'argent", performer: "Air")
            ])
    }
}
