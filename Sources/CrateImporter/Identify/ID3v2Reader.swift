import Foundation

/// Reads the ID3v2.3/2.4 text frames that TagLib's C API omits: TPE2 (album artist), TPOS
/// (disc), TPUB (label) and `TXXX:CATALOGNUMBER`; plus the common ones as a fallback.
enum ID3v2Reader {
    /// Tags larger than this (huge embedded pictures) are skipped rather than read.
    static let maximumTagSize = 16 << 20

    static func read(path: String) -> AudioTags? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let headerData = try? handle.read(upToCount: 10), headerData.count == 10 else { return nil }
        let header = [UInt8](headerData)
        guard header[0] == 0x49, header[1] == 0x44, header[2] == 0x33, header[3] == 3 || header[3] == 4 else {
            return nil
        }
        let version = header[3]
        let size = syncsafe(header[6...9])
        guard size > 0, size <= maximumTagSize, let bodyData = try? handle.read(upToCount: size) else { return nil }
        let body = [UInt8](bodyData)
        var tags = AudioTags()
        var position = 0
        if header[5] & 0x40 != 0, body.count >= 4 {  // extended header: skip it
            position = version == 4 ? syncsafe(body[0...3]) : (beInt(body[0...3]) + 4)
        }
        while position + 10 <= body.count {
            let id = String(decoding: body[position..<position + 4], as: UTF8.self)
            guard id.allSatisfy({ $0.isUppercase || $0.isNumber }) else { break }
            let frameSize =
                version == 4 ? syncsafe(body[position + 4...position + 7]) : beInt(body[position + 4...position + 7])
            let start = position + 10
            guard frameSize > 0, start + frameSize <= body.count else { break }
            if id.hasPrefix("T"), let text = decodeText(body[start..<start + frameSize]) {
                apply(id: id, text: text, to: &tags)
            }
            position = start + frameSize
        }
        return tags
    }

    static func apply(id: String, text: String, to tags: inout AudioTags) {
        // A text frame may carry several NUL-separated values; TXXX carries description, value.
        let parts = text.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first?.nonBlank ?? (parts.count > 1 ? parts[1].nonBlank : nil) else { return }
        switch id {
        case "TIT2": tags.title = first
        case "TPE1": tags.artist = first
        case "TPE2": tags.albumArtist = first
        case "TALB": tags.album = first
        case "TYER", "TDRC", "TORY", "TDOR": tags.year = tags.year ?? AudioTags.year(first)
        case "TPUB": tags.label = first
        case "TRCK": tags.trackNumber = AudioTags.leadingNumber(first)
        case "TPOS": tags.discNumber = AudioTags.leadingNumber(first)
        case "TXXX":
            if parts.count >= 2, ["CATALOGNUMBER", "CATALOG NUMBER"].contains(parts[0].uppercased()) {
                tags.catalogNumber = parts[1].nonBlank
            }
        default: break
        }
    }

    /// Decodes a text frame body: encoding byte, then ISO-8859-1, UTF-16 with BOM, UTF-16BE or UTF-8.
    static func decodeText(_ frame: ArraySlice<UInt8>) -> String? {
        guard let encoding = frame.first else { return nil }
        var bytes = Array(frame.dropFirst())
        switch encoding {
        case 0:
            while bytes.last == 0 { bytes.removeLast() }
            return String(bytes.map { Character(Unicode.Scalar($0)) })
        case 1, 2:
            if bytes.count % 2 == 1 { bytes.removeLast() }
            while bytes.count >= 2 && bytes[bytes.count - 1] == 0 && bytes[bytes.count - 2] == 0 {
                bytes.removeLast(2)
            }
            var littleEndian = false
            if encoding == 1, bytes.count >= 2 {
                littleEndian = bytes[0] == 0xFF && bytes[1] == 0xFE
                if (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
                    bytes.removeFirst(2)
                }
            }
            var units: [UInt16] = []
            var index = 0
            while index + 1 < bytes.count {
                let a = UInt16(bytes[index])
                let b = UInt16(bytes[index + 1])
                units.append(littleEndian ? (b << 8 | a) : (a << 8 | b))
                index += 2
            }
            return String(decoding: units, as: UTF16.self)
        case 3:
            while bytes.last == 0 { bytes.removeLast() }
            return String(decoding: bytes, as: UTF8.self)
        default:
            return nil
        }
    }

    static func syncsafe(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $0 << 7 | Int($1 & 0x7F) }
    }

    static func beInt(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $0 << 8 | Int($1) }
    }
}
