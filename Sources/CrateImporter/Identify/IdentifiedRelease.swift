import Foundation

/// What the identify stage concluded about a release folder.
public struct IdentifiedRelease: Hashable, Sendable, Codable {
    /// An audio file and its tags.
    public struct Track: Hashable, Sendable, Codable {
        public var relativePath: String
        public var tags: AudioTags
    }

    /// A picture and what it shows.
    public struct Image: Hashable, Sendable, Codable {
        public enum Kind: String, Hashable, Sendable, Codable { case front, back, other }
        public var relativePath: String
        public var kind: Kind
        public var width: Int?
        public var height: Int?
    }

    public var artist: String
    public var title: String
    public var year: Int?
    public var label: String?
    public var catalogNumber: String?
    public var tracks: [Track]
    public var images: [Image]
    /// Problems worth telling the user that do not stop the import (mixed or missing tags).
    public var warnings: [String]

    /// The picture to show as the cover: the first front image, else the first image.
    public var cover: Image? { images.first { $0.kind == .front } ?? images.first }
}

/// Media types by file extension, for the `files.media_type` column.
public enum MediaType {
    static let audioExtensions: Set<String> = [
        "flac", "mp3", "m4a", "mp4", "aac", "alac", "ogg", "oga", "opus", "wav", "aif", "aiff", "wv", "ape",
    ]
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "gif"]

    public static func of(path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "flac": "audio/flac"
        case "mp3": "audio/mpeg"
        case "m4a", "mp4", "aac", "alac": "audio/mp4"
        case "ogg", "oga": "audio/ogg"
        case "opus": "audio/opus"
        case "wav": "audio/wav"
        case "aif", "aiff": "audio/aiff"
        case "wv": "audio/x-wavpack"
        case "ape": "audio/x-ape"
        case "jpg", "jpeg": "image/jpeg"
        case "png": "image/png"
        case "gif": "image/gif"
        case "cue": "application/x-cue"
        case "log", "txt", "nfo", "m3u", "m3u8": "text/plain"
        case "pdf": "application/pdf"
        default: "application/octet-stream"
        }
    }

    static func isAudio(_ path: String) -> Bool {
        audioExtensions.contains((path as NSString).pathExtension.lowercased())
    }
    static func isImage(_ path: String) -> Bool {
        imageExtensions.contains((path as NSString).pathExtension.lowercased())
    }
}
