/// The tags that may follow an MP3's last frame — ID3v1, APEv2, Lyrics3 (v1 and v2), an
/// appended ID3v2 with its footer — found from the end of the file backwards, since only an
/// ID3v2 tag can be recognised from its front.
enum MP3TrailingTags {
    /// How many bytes at the end of `bytes` (the end of the file) are tags, in any order.
    static func length(atEndOf bytes: UnsafeRawBufferPointer) -> Int {
        var end = bytes.count
        while let tag = tag(endingAt: end, in: bytes), tag > 0, tag <= end {
            end -= tag
        }
        return bytes.count - end
    }

    /// The length of a tag that ends at `end`, or nil.
    private static func tag(endingAt end: Int, in bytes: UnsafeRawBufferPointer) -> Int? {
        func has(_ text: String, at index: Int) -> Bool {
            let utf8 = Array(text.utf8)
            guard index >= 0, index + utf8.count <= end else { return false }
            return utf8.indices.allSatisfy { bytes[index + $0] == utf8[$0] }
        }
        func littleEndian32(at index: Int) -> Int {
            (0..<4).reduce(0) { $0 | Int(bytes[index + $1]) << (8 * $1) }
        }
        // ID3v1: "TAG" and 125 bytes, the very last thing in the file.
        if has("TAG", at: end - 128) { return 128 }
        // APEv2 footer: "APETAGEX", version, size (items + footer), items, flags, 8 reserved.
        if has("APETAGEX", at: end - 32) {
            let size = littleEndian32(at: end - 20)
            let hasHeader = littleEndian32(at: end - 12) & (1 << 31) != 0
            return size + (hasHeader ? 32 : 0)
        }
        // Lyrics3 v2: "LYRICSBEGIN" … six digits of size, "LYRICS200".
        if has("LYRICS200", at: end - 9), end >= 15 {
            let digits = (end - 15..<end - 9).map { bytes[$0] }
            guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            let size = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            return has("LYRICSBEGIN", at: end - 15 - size) ? size + 15 : nil
        }
        // Lyrics3 v1: "LYRICSBEGIN", at most 5,100 bytes of lyrics, "LYRICSEND".
        if has("LYRICSEND", at: end - 9) {
            for begin in stride(from: end - 20, through: max(0, end - 9 - 5_100 - 11), by: -1)
            where has("LYRICSBEGIN", at: begin) {
                return end - begin
            }
            return nil
        }
        // ID3v2 appended with a footer: "3DI", version, flags, synchsafe size; header and footer of 10.
        if has("3DI", at: end - 10) {
            let size = (end - 4..<end).reduce(0) { $0 << 7 | Int(bytes[$1] & 0x7F) }
            return size + 20
        }
        return nil
    }
}
