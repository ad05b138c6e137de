import Foundation

/// What the tags of one audio file say. Every field is optional: missing and mixed tags are
/// normal in real archives, and turn into warnings, never failures.
public struct AudioTags: Hashable, Sendable, Codable {
    public var title: String?
    public var artist: String?
    public var albumArtist: String?
    public var album: String?
    public var year: Int?
    public var label: String?
    public var catalogNumber: String?
    public var trackNumber: Int?
    public var discNumber: Int?
    /// Exact where the format says so (FLAC's sample count), else TagLib's whole seconds.
    public var durationMs: Int?

    public init() {}

    /// Fills the fields this value lacks from `other`.
    public mutating func fillGaps(from other: AudioTags) {
        title = title ?? other.title
        artist = artist ?? other.artist
        albumArtist = albumArtist ?? other.albumArtist
        album = album ?? other.album
        year = year ?? other.year
        label = label ?? other.label
        catalogNumber = catalogNumber ?? other.catalogNumber
        trackNumber = trackNumber ?? other.trackNumber
        discNumber = discNumber ?? other.discNumber
        durationMs = durationMs ?? other.durationMs
    }

    /// Parses "3", "3/12" or "03" into 3.
    static func leadingNumber(_ text: String?) -> Int? {
        guard let text else { return nil }
        let digits = text.trimmingCharacters(in: .whitespaces).prefix { $0.isASCII && $0.isNumber }
        return Int(digits)
    }

    /// Parses a year out of "2004", "2004-05-17" or "May 2004".
    static func year(_ text: String?) -> Int? {
        guard let text else { return nil }
        var digits = ""
        for character in text {
            if character.isASCII && character.isNumber {
                digits.append(character)
                if digits.count == 4, let year = Int(digits), (1000...2999).contains(year) { return year }
            } else {
                digits = ""
            }
        }
        return nil
    }
}

extension String {
    /// `nil` for empty or all-white-space strings.
    var nonBlank: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
