import Foundation

/// The last resort for naming a release: its folder, read as "Artist - Album (Year)",
/// "Artist - Year - Album", "Artist - Album" or just "Album".
struct FolderName: Hashable {
    var artist: String?
    var album: String
    var year: Int?

    init(_ folder: String) {
        var name = folder.trimmingCharacters(in: .whitespaces)
        // Trailing "(2004)" or "[2004]".
        if let open = name.lastIndex(where: { $0 == "(" || $0 == "[" }), name.hasSuffix(")") || name.hasSuffix("]") {
            let inner = name[name.index(after: open)..<name.index(before: name.endIndex)]
            if inner.count == 4, let year = Int(inner), (1000...2999).contains(year) {
                self.year = year
                name = name[..<open].trimmingCharacters(in: .whitespaces)
            }
        }
        let parts = name.components(separatedBy: " - ").map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count >= 3, year == nil, parts[1].count == 4, let year = Int(parts[1]) {
            self.year = year
            artist = parts[0].nonBlank
            album = parts[2...].joined(separator: " - ")
        } else if parts.count >= 2 {
            artist = parts[0].nonBlank
            album = parts[1...].joined(separator: " - ")
        } else {
            album = name
        }
        if album.isEmpty { album = folder }
    }
}
