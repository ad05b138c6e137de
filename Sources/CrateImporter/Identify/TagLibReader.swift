import CTagLib
import Foundation
import Synchronization

/// Reads the common tags and the duration of any audio format TagLib knows (FLAC, MP3, M4A,
/// Ogg Vorbis/Opus, WAV, ...) through TagLib's C API.
///
/// The C API of TagLib 1.x (Debian 12) offers only title, artist, album, year, track and whole
/// seconds; `FLACMetadataReader` and `ID3v2Reader` add album artist, label, catalogue and disc
/// numbers and exact durations for the two most common formats.
enum TagLibReader {
    /// TagLib's C API keeps global state (string management); one caller at a time.
    private static let serial = Mutex(())

    static func read(path: String) -> AudioTags? {
        serial.withLock { _ in readAlone(path: path) }
    }

    private static func readAlone(path: String) -> AudioTags? {
        taglib_set_strings_unicode(1)
        taglib_set_string_management_enabled(0)
        guard let file = taglib_file_new(path) else { return nil }
        defer { taglib_file_free(file) }
        guard taglib_file_is_valid(file) != 0 else { return nil }
        var tags = AudioTags()
        if let tag = taglib_file_tag(file) {
            tags.title = take(taglib_tag_title(tag))
            tags.artist = take(taglib_tag_artist(tag))
            tags.album = take(taglib_tag_album(tag))
            let year = Int(taglib_tag_year(tag))
            tags.year = year > 0 ? year : nil
            let track = Int(taglib_tag_track(tag))
            tags.trackNumber = track > 0 ? track : nil
        }
        if let properties = taglib_file_audioproperties(file) {
            let seconds = Int(taglib_audioproperties_length(properties))
            tags.durationMs = seconds > 0 ? seconds * 1000 : nil
        }
        return tags
    }

    /// Copies a string TagLib allocated and frees it.
    private static func take(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        defer { taglib_free(pointer) }
        return String(cString: pointer).nonBlank
    }
}
