import Foundation
import Testing

@testable import CrateImporter

@Suite struct SourceScannerTests {
    @Test func scansTheFixtureInByteOrder() throws {
        let files = try SourceScanner.scan(Fixtures.album)
        #expect(
            files.map(\.relativePath) == [
                "01 - Överture.flac", "02 - 東京の夜.flac", "03 - Coda (reprise).flac", "04 - Hidden Track.mp3",
                "Scans/back.png", "Tōkyō Sessions.cue", "cover.jpg", "rip.log",
            ])
        #expect(files.allSatisfy { $0.size > 0 })
    }

    @Test func namesAMissingPathAFileAndAnEmptyFolder() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: ImportError.missingSource(directory.path + "/nope")) {
            try SourceScanner.scan(directory.path + "/nope")
        }
        try directory.write("a.flac", "x")
        #expect(throws: ImportError.sourceNotAFolder(directory.path + "/a.flac")) {
            try SourceScanner.scan(directory.path + "/a.flac")
        }
        try FileManager.default.createDirectory(
            atPath: directory.path + "/empty/sub", withIntermediateDirectories: true)
        #expect(throws: ImportError.emptySource(directory.path + "/empty")) {
            try SourceScanner.scan(directory.path + "/empty")
        }
        #expect(ImportError.emptySource("/x").description == "/x holds no files; there is nothing to import")
    }

    @Test func refusesSpecialFilesLoopsAndOddNames() throws {
        let directory = try TemporaryDirectory()
        try directory.write("album/a.flac", "x")
        #expect(mkfifo(directory.path + "/album/pipe", 0o600) == 0)
        #expect(throws: ImportError.specialFile(directory.path + "/album/pipe", kind: "FIFO (named pipe)")) {
            try SourceScanner.scan(directory.path + "/album")
        }
        unlink(directory.path + "/album/pipe")

        #expect(symlink(directory.path + "/album", directory.path + "/album/loop") == 0)
        #expect(throws: ImportError.symlinkLoop(directory.path + "/album/loop")) {
            try SourceScanner.scan(directory.path + "/album")
        }
        unlink(directory.path + "/album/loop")

        try directory.write("album/two\nlines.txt", "x")
        #expect(throws: ImportError.lineBreakInName(directory.path + "/album/two\nlines.txt")) {
            try SourceScanner.scan(directory.path + "/album")
        }
        unlink(directory.path + "/album/two\nlines.txt")

        for name in ["\u{1B}]0;pwned\u{07}.txt", "bell\u{07}.flac", "c1\u{9B}2J.txt"] {
            try directory.write("album/" + name, "x")
            #expect(throws: ImportError.controlCharacterInName(directory.path + "/album/" + name)) {
                try SourceScanner.scan(directory.path + "/album")
            }
            unlink(directory.path + "/album/" + name)
        }
        #expect(
            ImportError.controlCharacterInName("/m/\u{1B}[2J").description
                == "the file name \"/m/\\u{1B}[2J\" contains a control character; rename it")

        let latin1: [CChar] =
            Array("\(directory.path)/album/caf".utf8CString.dropLast()) + [CChar(bitPattern: 0xE9), 0]
        let fd = open(latin1, O_CREAT | O_WRONLY, 0o600)
        #expect(fd >= 0)
        close(fd)
        let error = #expect(throws: ImportError.self) { try SourceScanner.scan(directory.path + "/album") }
        #expect(error?.description.contains("caf\\xE9 is not valid UTF-8") == true)
    }

    @Test func followsLinksInsideTheFolderAndSkipsDesktopLitter() throws {
        let directory = try TemporaryDirectory()
        try directory.write("album/a.flac", "x")
        try directory.write("album/.DS_Store", "junk")
        try directory.write("album/Scans/front.jpg", "jpg")
        #expect(symlink("Scans/front.jpg", directory.path + "/album/cover.jpg") == 0)
        let files = try SourceScanner.scan(directory.path + "/album")
        #expect(files.map(\.relativePath) == ["Scans/front.jpg", "a.flac", "cover.jpg"])
    }

    @Test func refusesLinksOutsideTheFolderUnlessTold() throws {
        let directory = try TemporaryDirectory()
        try directory.write("album/a.flac", "x")
        try directory.write("elsewhere/notes.txt", "secret")
        #expect(symlink(directory.path + "/elsewhere/notes.txt", directory.path + "/album/notes.txt") == 0)
        let error = #expect(throws: ImportError.self) { try SourceScanner.scan(directory.path + "/album") }
        guard case .linkOutsideRelease(let path, let target) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(path == directory.path + "/album/notes.txt")
        #expect(target.hasSuffix("/elsewhere/notes.txt"))
        #expect(error?.description.contains("--follow-symlinks") == true)
        let files = try SourceScanner.scan(directory.path + "/album", followLinksOutside: true)
        #expect(files.map(\.relativePath) == ["a.flac", "notes.txt"])
    }

    @Test func refusesAnUnreadableFile() throws {
        guard getuid() != 0 else { return }  // root reads everything
        let directory = try TemporaryDirectory()
        try directory.write("album/a.flac", "x")
        chmod(directory.path + "/album/a.flac", 0)
        #expect(throws: ImportError.self) { try SourceScanner.scan(directory.path + "/album") }
    }

    @Test func noticesAChangedFile() throws {
        let directory = try TemporaryDirectory()
        try directory.write("album/a.flac", "x")
        let file = try SourceScanner.scan(directory.path + "/album")[0]
        try SourceScanner.checkUnchanged(file)
        try directory.write("album/a.flac", "xy")
        #expect(throws: ImportError.sourceChanged(file.absolutePath)) { try SourceScanner.checkUnchanged(file) }
    }
}
