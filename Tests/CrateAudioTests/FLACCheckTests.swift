import Foundation
import Testing

@testable import CrateAudio

@Suite struct FLACCheckTests {
    /// Where STREAMINFO's MD5 lies in a file flac wrote: after "fLaC", the block header and 18 bytes.
    static let md5Range = 26..<42

    @Test func anIntactFileGivesSTREAMINFOsMD5() async throws {
        let fixtures = try AudioFixtures()
        let file = try await fixtures.flac()
        let expected = try await AudioFixtures.run("metaflac", "--show-md5sum", file).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let reader = PieceReader(try fixtures.bytes(of: file))
        let report = try await FLACCheck.inspect(read: reader.read(upTo:))
        #expect(report.result == .intact(md5: expected))
        #expect(report.streamInfo?.md5Hex == expected)
        #expect(report.streamInfo?.totalSamples == 3 * 44_100)
        #expect(report.streamInfo?.sampleRate == 44_100 && report.streamInfo?.channels == 2)
    }

    @Test func bytesFlippedInTheAudioAreDamage() async throws {
        let fixtures = try AudioFixtures()
        var bytes = try fixtures.bytes(of: try await fixtures.flac())
        for index in bytes.count / 2..<bytes.count / 2 + 8 { bytes[index] ^= 0x5A }
        let result = try await check(.flac, bytes)
        #expect(result.isDamaged, "\(result)")
    }

    @Test func aCutShortFileIsTruncated() async throws {
        let fixtures = try AudioFixtures()
        let bytes = try fixtures.bytes(of: try await fixtures.flac())
        let result = try await check(.flac, Array(bytes.prefix(bytes.count * 6 / 10)))
        #expect(result.isDamaged && result.reason.hasSuffix("of 3.0 s (truncated)"), "\(result)")
    }

    @Test func aFileCutInsideItsMetadataIsTruncated() async throws {
        let fixtures = try AudioFixtures()
        let file = try await fixtures.flac(options: ["--padding=100000"])
        let result = try await check(.flac, Array(try fixtures.bytes(of: file).prefix(50_000)))
        #expect(result == .damaged(reason: "stream ends inside the metadata (truncated)"))
    }

    @Test func audioThatDoesNotMatchTheMD5IsDamage() async throws {
        let fixtures = try AudioFixtures()
        var bytes = try fixtures.bytes(of: try await fixtures.flac())
        bytes[Self.md5Range.lowerBound] ^= 0x01
        let result = try await check(.flac, bytes)
        #expect(result == .damaged(reason: "decoded audio does not match the MD5 in STREAMINFO"))
    }

    @Test func withoutAnMD5TheAudioCannotBeChecked() async throws {
        let fixtures = try AudioFixtures()
        let unset = try await check(
            .flac, try fixtures.bytes(of: try fixtures.flac("unset.flac", options: ["--no-md5-sum"])))
        #expect(unset == .cannotCheck(reason: "STREAMINFO has no MD5 of the audio to compare with"))
        var zeroed = try fixtures.bytes(of: try await fixtures.flac())
        zeroed.replaceSubrange(Self.md5Range, with: repeatElement(0, count: 16))
        #expect(try await check(.flac, zeroed) == unset)
    }

    @Test func withoutAnMD5DamageIsStillReported() async throws {
        let fixtures = try AudioFixtures()
        var bytes = try fixtures.bytes(of: try await fixtures.flac(options: ["--no-md5-sum"]))
        for index in bytes.count / 2..<bytes.count / 2 + 8 { bytes[index] ^= 0x5A }
        let result = try await check(.flac, bytes)
        #expect(result.isDamaged, "\(result)")
    }

    @Test func metadataLargerThanTheWindowStreamsPast() async throws {
        // A 12 MiB block: more than the check ever holds at once.
        let fixtures = try AudioFixtures()
        let file = try await fixtures.flac(options: ["--padding=\(12 << 20)"])
        let result = try await check(.flac, try fixtures.bytes(of: file))
        #expect(result.isIntact, "\(result)")
    }

    @Test func tinyUnevenReadsGiveTheSameResults() async throws {
        let fixtures = try AudioFixtures()
        let good = try fixtures.bytes(of: try await fixtures.flac())
        var flipped = good
        for index in good.count / 2..<good.count / 2 + 8 { flipped[index] ^= 0x5A }
        for bytes in [good, flipped, Array(good.prefix(good.count / 2))] {
            let whole = try await check(.flac, bytes)
            #expect(try await check(.flac, bytes, pieceSize: 7) == whole)
            #expect(try await check(.flac, bytes, pieceSize: 4093) == whole)
        }
    }

    @Test func somethingElseIsNotFLAC() async throws {
        #expect(
            try await check(.flac, Array("not really flac".utf8))
                == .damaged(reason: "not a FLAC stream (no fLaC marker at the start)"))
        #expect(try await check(.flac, []).isDamaged)
    }
}

extension AudioCheck.Result {
    var isIntact: Bool {
        if case .intact = self { return true }
        return false
    }
}
