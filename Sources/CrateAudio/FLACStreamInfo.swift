import CrateCore

/// A FLAC stream's STREAMINFO block: what the audio is and the MD5 the decoded samples must have.
public struct FLACStreamInfo: Sendable, Equatable {
    /// The length of a STREAMINFO block's body.
    static let length = 34

    /// Samples per second.
    public let sampleRate: Int
    /// Channels (1…8).
    public let channels: Int
    /// Bits per sample (4…32).
    public let bitsPerSample: Int
    /// Samples per channel in the whole stream; 0 when the encoder did not know.
    public let totalSamples: UInt64
    /// The MD5 of the unencoded audio, as stored (16 bytes; all zero when the encoder left it out).
    public let md5: [UInt8]
    /// The body exactly as read, for handing to the decoder.
    let body: [UInt8]

    /// The MD5 as lowercase hex, or nil when the stream carries none (all zero).
    public var md5Hex: String? { md5.allSatisfy { $0 == 0 } ? nil : Hex.string(md5) }

    /// Reads a STREAMINFO body (34 bytes); nil when it is not one a decoder could accept.
    init?(body: [UInt8]) {
        guard body.count == Self.length else { return nil }
        self.body = body
        sampleRate = Int(body[10]) << 12 | Int(body[11]) << 4 | Int(body[12]) >> 4
        channels = Int(body[12] >> 1 & 0x07) + 1
        bitsPerSample = (Int(body[12] & 0x01) << 4 | Int(body[13]) >> 4) + 1
        totalSamples = body[13...17].reduce(0) { $0 << 8 | UInt64($1) } & 0xF_FFFF_FFFF
        md5 = Array(body[18..<34])
        guard sampleRate > 0 else { return nil }
    }

    /// `samples` as seconds with one decimal, for messages ("1.2 s").
    func seconds(_ samples: UInt64) -> String {
        let tenths = (samples * 10 + UInt64(sampleRate / 2)) / UInt64(sampleRate)
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
