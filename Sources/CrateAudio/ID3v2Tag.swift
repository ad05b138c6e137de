/// The size of an ID3v2 tag from its 10-byte header, so the checkers can step over one in front
/// of the audio (and, for MP3, between frames).
enum ID3v2Tag {
    /// The header's length.
    static let headerLength = 10

    /// The tag's whole length (header, body and footer if its flag is set), or nil when the
    /// bytes are not an ID3v2 header.
    static func length(header: [UInt8]) -> Int? {
        guard header.count >= headerLength, header[0] == 0x49, header[1] == 0x44, header[2] == 0x33,  // "ID3"
            header[3] != 0xFF, header[4] != 0xFF,
            header[6...9].allSatisfy({ $0 < 0x80 })
        else { return nil }
        let size = header[6...9].reduce(0) { $0 << 7 | Int($1) }  // synchsafe: 7 bits a byte
        let hasFooter = header[5] & 0x10 != 0
        return headerLength + size + (hasFooter ? 10 : 0)
    }
}
