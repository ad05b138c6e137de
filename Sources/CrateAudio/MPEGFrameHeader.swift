/// An MPEG audio frame header (MPEG-1, 2 and 2.5, layers I–III): the four bytes that give a
/// frame's length, which is all a walk through the frames needs.
struct MPEGFrameHeader: Equatable {
    enum Version: Equatable {
        case mpeg1, mpeg2, mpeg25
    }

    let version: Version
    /// 1, 2 or 3.
    let layer: Int
    /// Bits per second; 0 for a free-format stream (the length then depends on the encoder).
    let bitrate: Int
    let sampleRate: Int
    let padding: Bool
    let isMono: Bool

    /// Parses four bytes; nil when they are not a valid header (no sync, or a reserved value).
    init?(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        guard b0 == 0xFF, b1 & 0xE0 == 0xE0 else { return nil }
        switch b1 >> 3 & 0x03 {
        case 0: version = .mpeg25
        case 2: version = .mpeg2
        case 3: version = .mpeg1
        default: return nil
        }
        let layerBits = Int(b1 >> 1 & 0x03)
        let bitrateIndex = Int(b2 >> 4)
        let rateIndex = Int(b2 >> 2 & 0x03)
        guard layerBits != 0, bitrateIndex != 15, rateIndex != 3, b3 & 0x03 != 2 else { return nil }
        layer = 4 - layerBits
        let table: [Int]
        switch (version, layer) {
        case (.mpeg1, 1): table = Self.mpeg1Layer1
        case (.mpeg1, 2): table = Self.mpeg1Layer2
        case (.mpeg1, _): table = Self.mpeg1Layer3
        case (_, 1): table = Self.mpeg2Layer1
        default: table = Self.mpeg2Layers2And3
        }
        bitrate = table[bitrateIndex] * 1000
        let base = [44_100, 48_000, 32_000][rateIndex]
        sampleRate = version == .mpeg1 ? base : version == .mpeg2 ? base / 2 : base / 4
        padding = b2 & 0x02 != 0
        isMono = b3 >> 6 == 3
    }

    /// Parses the four bytes at the front of `bytes`.
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 4 else { return nil }
        self.init(bytes[0], bytes[1], bytes[2], bytes[3])
    }

    var isFreeFormat: Bool { bitrate == 0 }

    /// Samples per channel in one frame.
    var samplesPerFrame: Int {
        switch layer {
        case 1: 384
        case 2: 1152
        default: version == .mpeg1 ? 1152 : 576
        }
    }

    /// The frame's length in bytes, header included; nil for free format.
    var length: Int? {
        guard bitrate > 0 else { return nil }
        let pad = padding ? 1 : 0
        switch layer {
        case 1: return (12 * bitrate / sampleRate + pad) * 4
        case 2: return 144 * bitrate / sampleRate + pad
        default: return (version == .mpeg1 ? 144 : 72) * bitrate / sampleRate + pad
        }
    }

    /// Whether `other` can be the next frame of the same stream (the same version, layer and
    /// sample rate): a check against garbage that happens to start with a sync word.
    func continues(with other: MPEGFrameHeader) -> Bool {
        other.version == version && other.layer == layer && other.sampleRate == sampleRate
    }

    /// Where a Xing/Info tag starts in a layer III frame: after the header and the side information.
    var xingOffset: Int {
        4 + (version == .mpeg1 ? (isMono ? 17 : 32) : (isMono ? 9 : 17))
    }

    // Kilobits per second by bitrate index (index 0 is free format, 15 is invalid).
    private static let mpeg1Layer1 = [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448]
    private static let mpeg1Layer2 = [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384]
    private static let mpeg1Layer3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    private static let mpeg2Layer1 = [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256]
    private static let mpeg2Layers2And3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
}
