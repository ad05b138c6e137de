/// Checks an MP3 file by walking its chain of MPEG audio frames: each header must lead to the
/// next, from the first frame to the tags at the end. A frame cut short, bytes between frames,
/// or fewer frames than the Xing/Info tag counts is damage.
///
/// The audio itself is not decoded (an MP3 has no checksum of it, and its frame CRCs are
/// optional), so a flipped bit inside a frame goes unseen; what the walk catches is the common
/// damage — truncation, splices, holes. Memory stays at `windowCapacity`.
public enum MP3Check {
    /// Bytes kept ahead of each frame: more than any frame, and room to tell the tags at the end.
    static let lookahead = 256 << 10
    static let windowCapacity = 1 << 20
    /// How much junk may come before the first frame (some taggers leave padding there).
    static let leadingJunkAllowance = 32 << 10

    /// Checks the MP3 stream `read` pulls.
    public static func check(read: AudioCheck.Read) async throws -> AudioCheck.Result {
        try await withoutActuallyEscaping(read) { read in
            try await walk(ByteWindow(capacity: windowCapacity, read: read))
        }
    }

    private static func walk(_ window: ByteWindow) async throws -> AudioCheck.Result {
        var audioEnd: Int?
        func refill() async throws {
            try await window.fill(atLeast: lookahead)
            if window.sourceEnded && audioEnd == nil {
                audioEnd = window.offset + window.count - window.withBytes { MP3TrailingTags.length(atEndOf: $0) }
            }
        }

        try await refill()
        while let tag = ID3v2Tag.length(header: window.bytes(at: 0, length: ID3v2Tag.headerLength)) {
            guard try await window.skip(tag) else {
                return .damaged(reason: "stream ends inside its ID3v2 tag (truncated)")
            }
            try await refill()
        }
        guard let junk = firstFrame(in: window, audioEnd: audioEnd) else {
            return .damaged(
                reason: window.isAtEnd && window.offset == 0 ? "no audio (empty file)" : "no MPEG audio frames found")
        }
        window.consume(junk)
        let first = window.withBytes { MPEGFrameHeader($0)! }
        guard first.length != nil else {
            return .cannotCheck(reason: "free-format MP3: its frame lengths cannot be walked")
        }
        let declaredFrames = xingFrameCount(window, first)
        var frames = 0
        while true {
            try await refill()
            let position = window.offset
            if let end = audioEnd, position >= end { break }
            guard let header = window.withBytes({ MPEGFrameHeader($0) }), first.continues(with: header) else {
                if let tag = skippableTag(window) {
                    guard try await window.skip(tag) else {
                        return .damaged(reason: "stream ends inside a tag (truncated)")
                    }
                    continue
                }
                if let end = audioEnd, end - position < 4, window[0] == 0xFF {
                    return .damaged(reason: "stream ends inside the frame at byte \(position) (truncated)")
                }
                return .damaged(reason: "lost sync at byte \(position)")
            }
            guard let length = header.length else {
                return .damaged(reason: "lost sync at byte \(position) (a free-format frame in a fixed-rate stream)")
            }
            if let end = audioEnd, position + length > end {
                return .damaged(reason: "stream ends inside the frame at byte \(position) (truncated)")
            }
            window.consume(length)
            frames += 1
        }
        // The Xing/Info frame carries no audio and is not in its own count.
        if let declared = declaredFrames, frames - 1 < declared {
            let seconds = { (count: Int) in tenths(count * first.samplesPerFrame, rate: first.sampleRate) }
            return .damaged(reason: "stream ends after \(seconds(frames - 1)) of \(seconds(declared)) (truncated)")
        }
        return .intact(md5: nil)
    }

    /// How many bytes of junk come before the first frame: the first header within the allowance
    /// whose frame is followed by another header of the same stream, or by the end of the audio.
    private static func firstFrame(in window: ByteWindow, audioEnd: Int?) -> Int? {
        window.withBytes { bytes in
            let limit = min(leadingJunkAllowance, bytes.count - 4)
            guard limit >= 0 else { return nil }
            for index in 0...limit {
                guard bytes[index] == 0xFF,
                    let header = MPEGFrameHeader(UnsafeRawBufferPointer(rebasing: bytes[index...]))
                else { continue }
                guard let length = header.length else {
                    if isFreeFormatStream(bytes, at: index, header) { return index }
                    continue
                }
                let next = index + length
                if let end = audioEnd, window.offset + next == end { return index }
                if let following = MPEGFrameHeader(UnsafeRawBufferPointer(rebasing: bytes[min(next, bytes.count)...])),
                    header.continues(with: following)
                {
                    return index
                }
            }
            return nil
        }
    }

    /// Whether a free-format header at `index` starts a stream: two more headers of the same
    /// stream follow at one spacing (give or take a padding byte). Random bytes hold many lone
    /// free-format headers; three evenly spaced are a stream.
    private static func isFreeFormatStream(
        _ bytes: UnsafeRawBufferPointer, at index: Int, _ header: MPEGFrameHeader
    ) -> Bool {
        func isNext(_ at: Int) -> Bool {
            guard at + 4 <= bytes.count, let next = MPEGFrameHeader(UnsafeRawBufferPointer(rebasing: bytes[at...]))
            else { return false }
            return next.isFreeFormat && header.continues(with: next)
        }
        let longest = 8 << 10
        for spacing in 24...longest where isNext(index + spacing) {
            return (spacing - 1...spacing + 1).contains { isNext(index + spacing + $0) }
        }
        return false
    }

    /// The frame count of a Xing/Info tag in the first frame, if it has one.
    private static func xingFrameCount(_ window: ByteWindow, _ first: MPEGFrameHeader) -> Int? {
        guard first.layer == 3 else { return nil }
        let at = first.xingOffset
        guard window.matches(Array("Xing".utf8), at: at) || window.matches(Array("Info".utf8), at: at) else {
            return nil
        }
        let fields = window.bytes(at: at + 4, length: 8)
        guard fields.count == 8, fields[3] & 0x01 != 0 else { return nil }
        return fields[4...7].reduce(0) { $0 << 8 | Int($1) }
    }

    /// The length of a tag between frames that can be recognised from its front: an ID3v2 tag,
    /// or an APEv2 tag that starts with its header.
    private static func skippableTag(_ window: ByteWindow) -> Int? {
        if let tag = ID3v2Tag.length(header: window.bytes(at: 0, length: ID3v2Tag.headerLength)) { return tag }
        let ape = window.bytes(at: 0, length: 32)
        guard window.matches(Array("APETAGEX".utf8)), ape.count == 32 else { return nil }
        let field = { (index: Int) in (0..<4).reduce(0) { $0 | Int(ape[index + $1]) << (8 * $1) } }
        let isHeader = field(20) & (1 << 29) != 0
        return isHeader ? 32 + field(12) : nil
    }

    private static func tenths(_ samples: Int, rate: Int) -> String {
        let tenths = (samples * 10 + rate / 2) / rate
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
