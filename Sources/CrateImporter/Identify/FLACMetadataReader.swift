import Foundation

/// Reads a FLAC file's STREAMINFO (for the exact duration) and VORBIS_COMMENT block (for every
/// tag, including ALBUMARTIST, LABEL, CATALOGNUMBER and DISCNUMBER that TagLib's C API omits).
///
/// Only the metadata blocks at the head of the file are read, never the audio.
enum FLACMetadataReader {
    static func read(path: String) -> AudioTags? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let magic = try? handle.read(upToCount: 4), magic == Data("fLaC".utf8) else { return nil }
        var tags = AudioTags()
        var isLast = false
        var blocksRead = 0
        while !isLast && blocksRead < 128 {
            guard let header = try? handle.read(upToCount: 4), header.count == 4 else { break }
            let bytes = [UInt8](header)
            isLast = bytes[0] & 0x80 != 0
            let type = bytes[0] & 0x7F
            let length = Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
            blocksRead += 1
            switch type {
            case 0, 4:
                guard let body = try? handle.read(upToCount: length), body.count == length else { return tags }
                if type == 0 {
                    tags.durationMs = streamInfoDuration([UInt8](body))
                } else {
                    apply(comments: vorbisComments([UInt8](body)), to: &tags)
                }
            default:
                guard let offset = try? handle.offset() else { return tags }
                try? handle.seek(toOffset: offset + UInt64(length))
            }
        }
        return tags
    }

    /// Duration from STREAMINFO: total samples / sample rate, in milliseconds.
    static func streamInfoDuration(_ body: [UInt8]) -> Int? {
        guard body.count >= 18 else { return nil }
        let sampleRate = Int(body[10]) << 12 | Int(body[11]) << 4 | Int(body[12]) >> 4
        var totalSamples = Int(body[13] & 0x0F)
        for index in 14...17 { totalSamples = totalSamples << 8 | Int(body[index]) }
        guard sampleRate > 0, totalSamples > 0 else { return nil }
        return Int((Double(totalSamples) * 1000 / Double(sampleRate)).rounded())
    }

    /// The `NAME=value` pairs of a Vorbis comment block (little-endian lengths), names uppercased.
    static func vorbisComments(_ body: [UInt8]) -> [(String, String)] {
        var position = 0
        func uint32() -> Int? {
            guard position + 4 <= body.count else { return nil }
            defer { position += 4 }
            return Int(body[position]) | Int(body[position + 1]) << 8 | Int(body[position + 2]) << 16
                | Int(body[position + 3]) << 24
        }
        guard let vendorLength = uint32(), position + vendorLength <= body.count else { return [] }
        position += vendorLength
        guard let count = uint32() else { return [] }
        var comments: [(String, String)] = []
        for _ in 0..<min(count, 10_000) {
            guard let length = uint32(), position + length <= body.count else { break }
            let text = String(decoding: body[position..<position + length], as: UTF8.self)
            position += length
            guard let equals = text.firstIndex(of: "=") else { continue }
            comments.append((text[..<equals].uppercased(), String(text[text.index(after: equals)...])))
        }
        return comments
    }

    static func apply(comments: [(String, String)], to tags: inout AudioTags) {
        for (name, value) in comments {
            guard let value = value.nonBlank else { continue }
            switch name {
            case "TITLE": tags.title = tags.title ?? value
            case "ARTIST": tags.artist = tags.artist ?? value
            case "ALBUMARTIST", "ALBUM ARTIST", "ALBUM_ARTIST": tags.albumArtist = tags.albumArtist ?? value
            case "ALBUM": tags.album = tags.album ?? value
            case "DATE", "YEAR", "ORIGINALDATE": tags.year = tags.year ?? AudioTags.year(value)
            case "LABEL", "ORGANIZATION", "PUBLISHER": tags.label = tags.label ?? value
            case "CATALOGNUMBER", "CATALOG", "LABELNO": tags.catalogNumber = tags.catalogNumber ?? value
            case "TRACKNUMBER": tags.trackNumber = tags.trackNumber ?? AudioTags.leadingNumber(value)
            case "DISCNUMBER": tags.discNumber = tags.discNumber ?? AudioTags.leadingNumber(value)
            default: break
            }
        }
    }
}
