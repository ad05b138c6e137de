import Foundation

/// Stage 2, identify: reads tags (TagLib, plus our FLAC and ID3v2 readers for the fields
/// TagLib's C API lacks), cue sheets and images, and decides artist, title and year — by
/// majority over the files, then the cue sheet, then the folder name.
public enum ReleaseIdentifier {
    public static func identify(folder: String, files: [ScannedFile]) -> IdentifiedRelease {
        var warnings: [String] = []
        let tracks = files.filter { MediaType.isAudio($0.relativePath) }.map { file in
            IdentifiedRelease.Track(relativePath: file.relativePath, tags: readTags(file.absolutePath))
        }
        let images = files.filter { MediaType.isImage($0.relativePath) }.map(probeImage)
        let cue = files.first { $0.relativePath.lowercased().hasSuffix(".cue") }
            .flatMap { FileManager.default.contents(atPath: $0.absolutePath) }
            .map(CueSheet.parse)
        let fromFolder = FolderName((folder as NSString).lastPathComponent)

        if tracks.isEmpty {
            warnings.append("no audio files found; the release is named after its folder")
        }
        let untagged = tracks.filter { $0.tags.album == nil && $0.tags.artist == nil && $0.tags.title == nil }
        if !untagged.isEmpty && !tracks.isEmpty {
            warnings.append(
                "\(untagged.count) of \(tracks.count) audio files have no tags: "
                    + untagged.prefix(3).map(\.relativePath).joined(separator: ", ") + (untagged.count > 3 ? ", …" : "")
            )
        }

        let artist =
            majority(tracks.compactMap(\.tags.albumArtist), field: "album artist", warnings: &warnings)
            ?? majority(tracks.compactMap(\.tags.artist), field: "artist", warnings: &warnings, variousIfMixed: true)
            ?? cue?.performer ?? fromFolder.artist ?? "Unknown Artist"
        let title =
            majority(tracks.compactMap(\.tags.album), field: "album", warnings: &warnings) ?? cue?.title
            ?? fromFolder.album
        let year =
            majority(tracks.compactMap(\.tags.year), field: "year", warnings: &warnings) ?? cue?.year ?? fromFolder.year
        let label = majority(tracks.compactMap(\.tags.label), field: "label", warnings: &warnings)
        let catalogNumber =
            majority(tracks.compactMap(\.tags.catalogNumber), field: "catalogue number", warnings: &warnings)
            ?? cue?.catalog

        return IdentifiedRelease(
            artist: artist, title: title, year: year, label: label, catalogNumber: catalogNumber, tracks: tracks,
            images: images, warnings: warnings)
    }

    /// Tags of one audio file: the format's own reader first, TagLib to fill the gaps.
    static func readTags(_ path: String) -> AudioTags {
        let ext = (path as NSString).pathExtension.lowercased()
        var tags = AudioTags()
        if ext == "flac", let flac = FLACMetadataReader.read(path: path) { tags = flac }
        if ext == "mp3", let id3 = ID3v2Reader.read(path: path) { tags = id3 }
        if let common = TagLibReader.read(path: path) { tags.fillGaps(from: common) }
        return tags
    }

    static func probeImage(_ file: ScannedFile) -> IdentifiedRelease.Image {
        let name = ((file.relativePath as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased()
        let kind: IdentifiedRelease.Image.Kind =
            ["cover", "folder", "front"].contains(where: name.contains)
            ? .front : name.contains("back") ? .back : .other
        let size = ImageProbe.dimensions(path: file.absolutePath)
        return .init(relativePath: file.relativePath, kind: kind, width: size?.width, height: size?.height)
    }

    /// The most common value; a warning when the files disagree. With `variousIfMixed`, a field
    /// where no value holds a majority yields "Various Artists".
    static func majority<T: Hashable & CustomStringConvertible>(
        _ values: [T], field: String, warnings: inout [String], variousIfMixed: Bool = false
    ) -> T? where T: Comparable {
        guard !values.isEmpty else { return nil }
        var counts: [T: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        if ranked.count > 1 {
            if variousIfMixed, ranked[0].value * 2 <= values.count, let various = "Various Artists" as? T {
                return various
            }
            let listed = ranked.prefix(3).map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
            warnings.append("mixed \(field) tags: \(listed); using \(ranked[0].key)")
        }
        return ranked[0].key
    }
}
