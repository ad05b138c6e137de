import Foundation

/// The parts of a cue sheet Crate uses: album performer, title, date, and per track its file,
/// number, title and performer.
public struct CueSheet: Hashable, Sendable {
    public struct Track: Hashable, Sendable {
        public var number: Int
        public var file: String?
        public var title: String?
        public var performer: String?
    }

    public var performer: String?
    public var title: String?
    public var year: Int?
    public var catalog: String?
    public var tracks: [Track] = []

    /// Parses cue sheet text (UTF-8, or Latin-1 when not valid UTF-8). Unknown commands are ignored.
    public static func parse(_ data: Data) -> CueSheet {
        let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) ?? ""
        var sheet = CueSheet()
        var currentFile: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            let (command, rest) = splitCommand(line)
            switch command {
            case "PERFORMER":
                if sheet.tracks.isEmpty {
                    sheet.performer = unquote(rest)
                } else {
                    sheet.tracks[sheet.tracks.count - 1].performer = unquote(rest)
                }
            case "TITLE":
                if sheet.tracks.isEmpty {
                    sheet.title = unquote(rest)
                } else {
                    sheet.tracks[sheet.tracks.count - 1].title = unquote(rest)
                }
            case "CATALOG":
                sheet.catalog = unquote(rest)
            case "FILE":
                currentFile = fileName(rest)
            case "TRACK":
                let number = Int(rest.split(separator: " ").first ?? "") ?? sheet.tracks.count + 1
                sheet.tracks.append(Track(number: number, file: currentFile))
            case "REM":
                let (key, value) = splitCommand(rest)
                if key == "DATE" { sheet.year = AudioTags.year(value) }
            default:
                break
            }
        }
        return sheet
    }

    private static func splitCommand(_ line: String) -> (String, String) {
        guard let space = line.firstIndex(of: " ") else { return (line.uppercased(), "") }
        return (line[..<space].uppercased(), line[line.index(after: space)...].trimmingCharacters(in: .whitespaces))
    }

    private static func unquote(_ text: String) -> String? {
        var value = text
        if value.hasPrefix("\""), let close = value.dropFirst().firstIndex(of: "\"") {
            value = String(value[value.index(after: value.startIndex)..<close])
        }
        return value.nonBlank
    }

    /// `"name with spaces.flac" WAVE` → `name with spaces.flac`
    private static func fileName(_ text: String) -> String? {
        if text.hasPrefix("\"") { return unquote(text) }
        return text.split(separator: " ").first.map(String.init)
    }
}
