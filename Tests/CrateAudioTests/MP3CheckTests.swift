import Foundation
import Testing

@testable import CrateAudio

@Suite struct MP3CheckTests {
    @Test func intactFilesWalkToTheEnd() async throws {
        let fixtures = try AudioFixtures()
        let files = [
            try await fixtures.mp3(),
            try await fixtures.mp3("vbr.mp3", options: ["-V", "2"]),
            try await fixtures.mp3("mono.mp3", options: ["-m", "m", "--resample", "22.05", "-b", "32"]),
            try await fixtures.mp3(
                "tagged.mp3", options: ["-b", "128", "--tt", "Title", "--ta", "Artist", "--add-id3v2"]),
        ]
        for file in files {
            #expect(try await check(.mp3, try fixtures.bytes(of: file)) == .intact(md5: nil), "\(file)")
        }
    }

    @Test func aLittleJunkBeforeTheFirstFrameIsTolerated() async throws {
        let fixtures = try AudioFixtures()
        let bytes = try fixtures.bytes(of: try await fixtures.mp3())
        #expect(try await check(.mp3, [UInt8](repeating: 0, count: 300) + bytes) == .intact(md5: nil))
    }

    @Test func aFileCutInsideAFrameIsTruncated() async throws {
        let fixtures = try AudioFixtures()
        let bytes = try fixtures.bytes(of: try await fixtures.mp3())
        let result = try await check(.mp3, Array(bytes.prefix(bytes.count * 6 / 10)))
        #expect(result.isDamaged && result.reason.hasPrefix("stream ends inside the frame at byte"), "\(result)")
    }

    @Test func aFileCutBetweenFramesIsCaughtByItsInfoTag() async throws {
        let fixtures = try AudioFixtures()
        let bytes = try fixtures.bytes(of: try await fixtures.mp3())
        var boundary = 0
        while boundary < bytes.count / 2 {
            let header = try #require(
                MPEGFrameHeader(bytes[boundary], bytes[boundary + 1], bytes[boundary + 2], bytes[boundary + 3]))
            boundary += try #require(header.length)
        }
        let result = try await check(.mp3, Array(bytes.prefix(boundary)))
        #expect(result.isDamaged && result.reason.hasSuffix("of 3.0 s (truncated)"), "\(result)")
    }

    @Test func junkSplicedBetweenFramesIsLostSync() async throws {
        let fixtures = try AudioFixtures()
        let bytes = try fixtures.bytes(of: try await fixtures.mp3())
        let middle = bytes.count / 2
        var generator = SystemRandomNumberGenerator()
        let junk = (0..<3000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let result = try await check(.mp3, Array(bytes[..<middle]) + junk + Array(bytes[middle...]))
        #expect(result.isDamaged && result.reason.hasPrefix("lost sync at byte "), "\(result)")
    }

    @Test func tagsAtTheEndAreNotAudio() async throws {
        let fixtures = try AudioFixtures()
        let bytes = try fixtures.bytes(of: try await fixtures.mp3())
        let items: [UInt8] = [5, 0, 0, 0, 0, 0, 0, 0] + Array("Title\0Hello".utf8)
        let footer =
            Array("APETAGEX".utf8) + le32(2000) + le32(items.count + 32) + le32(1) + le32(0)
            + [UInt8](repeating: 0, count: 8)
        let id3v1 = Array("TAG".utf8) + [UInt8](repeating: 0x20, count: 125)
        let lyrics = Array("LYRICSBEGINla la la LYRICSEND".utf8)
        #expect(try await check(.mp3, bytes + items + footer + lyrics + id3v1) == .intact(md5: nil))
    }

    @Test func noFramesIsDamage() async throws {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(try await check(.mp3, noise) == .damaged(reason: "no MPEG audio frames found"))
        #expect(try await check(.mp3, []) == .damaged(reason: "no audio (empty file)"))
    }

    @Test func tinyUnevenReadsGiveTheSameResults() async throws {
        let fixtures = try AudioFixtures()
        let good = try fixtures.bytes(of: try await fixtures.mp3())
        let spliced =
            Array(good[..<(good.count / 2)]) + [UInt8](repeating: 0x11, count: 500) + Array(good[(good.count / 2)...])
        for bytes in [good, spliced, Array(good.prefix(good.count * 6 / 10))] {
            let whole = try await check(.mp3, bytes)
            #expect(try await check(.mp3, bytes, pieceSize: 7) == whole)
        }
    }

    private func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
}
