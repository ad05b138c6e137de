import Testing

@testable import CrateAudio

@Suite struct AudioCheckTests {
    @Test func theKindComesFromTheExtensionInAnyCase() {
        #expect(AudioCheck.kind(forPath: "/music/a.flac") == .flac)
        #expect(AudioCheck.kind(forPath: "B.FLAC") == .flac)
        #expect(AudioCheck.kind(forPath: "dir.flac/c.Mp3") == .mp3)
        #expect(AudioCheck.kind(forPath: "d.ogg") == nil)
        #expect(AudioCheck.kind(forPath: "flac") == nil)
        #expect(AudioCheck.kind(forPath: "e.flac.txt") == nil)
    }

    @Test func frameHeadersGiveTheirLength() throws {
        // MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding: 417 bytes; with padding 418.
        let plain = try #require(MPEGFrameHeader(0xFF, 0xFB, 0x90, 0x64))
        #expect(plain.length == 417 && plain.samplesPerFrame == 1152)
        #expect(MPEGFrameHeader(0xFF, 0xFB, 0x92, 0x64)?.length == 418)
        // MPEG-2 layer III, 64 kbit/s, 22.05 kHz: 72 × 64000 / 22050 = 208.
        #expect(MPEGFrameHeader(0xFF, 0xF3, 0x80, 0xC4)?.length == 208)
        // MPEG-1 layer I, 448 kbit/s, 32 kHz: (12 × 448000 / 32000) × 4 = 672.
        #expect(MPEGFrameHeader(0xFF, 0xFF, 0xE8, 0x00)?.length == 672)
        #expect(MPEGFrameHeader(0xFF, 0xFB, 0x00, 0x00)?.isFreeFormat == true)
        #expect(MPEGFrameHeader(0xFF, 0xFB, 0xF0, 0x00) == nil)  // bitrate index 15
        #expect(MPEGFrameHeader(0xFF, 0xFB, 0x9C, 0x00) == nil)  // sample rate index 3
        #expect(MPEGFrameHeader(0xFF, 0xEB, 0x90, 0x00) == nil)  // reserved version
        #expect(MPEGFrameHeader(0xFF, 0xF9, 0x90, 0x00) == nil)  // reserved layer
    }

    @Test func id3v2TagsKnowTheirLength() {
        let header: [UInt8] = [0x49, 0x44, 0x33, 4, 0, 0x10, 0, 0, 0x01, 0x7F]
        #expect(ID3v2Tag.length(header: header) == 10 + 255 + 10)
        #expect(ID3v2Tag.length(header: [0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0x80, 0]) == nil)
    }
}
