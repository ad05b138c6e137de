import ArgumentParser
import CrateCatalog
import CrateCore
import Foundation

/// `crate releases [QUERY] [--json]`
struct ReleasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "releases",
        abstract: "List the releases in the catalog.",
        discussion: "QUERY keeps releases whose artist, title, label, catalogue number or year contain every word."
    )

    @Argument(help: "Words to filter by.")
    var query: [String] = []

    @Flag(help: "Print a JSON array of release objects.")
    var json = false

    struct Item: Encodable {
        var id: String
        var artist: String
        var title: String
        var year: Int?
        var label: String?
        var catalogNumber: String?
        var profiles: [String]
        var bytes: Int64
        var createdAt: Date
    }

    func run() async throws {
        try await reportingErrors {
            let summaries = try openCatalog(readOnly: true).releases(matching: query.joined(separator: " "))
            if json {
                return try JSONOutput.print(
                    summaries.map {
                        Item(
                            id: $0.release.id, artist: $0.release.artist, title: $0.release.title,
                            year: $0.release.year,
                            label: $0.release.label, catalogNumber: $0.release.catalogNumber, profiles: $0.profiles,
                            bytes: $0.release.totalBytes, createdAt: $0.release.createdAt)
                    })
            }
            if summaries.isEmpty {
                print(query.isEmpty ? "no releases yet; import one with `crate import FOLDER`" : "no release matches")
                return
            }
            let rows = summaries.map { s in
                [
                    String(s.release.id.prefix(12)), s.release.artist, s.release.title,
                    s.release.year.map(String.init) ?? "",
                    ByteSize.format(s.release.totalBytes), s.profiles.joined(separator: ","),
                ]
            }
            print(TextTable.render(header: ["ID", "ARTIST", "TITLE", "YEAR", "SIZE", "PROFILES"], rows: rows))
        }
    }
}

/// `crate show RELEASE`
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a release: its facts, files, tracks and copies.")

    @Argument(help: "Release id or an unambiguous prefix (see `crate releases`).")
    var release: String

    @Flag(help: "Print a JSON object.")
    var json = false

    struct Detail: Encodable {
        struct File: Encodable {
            var path: String
            var size: Int64
            var sha256: String
            var mediaType: String
            var disc: Int?
            var track: Int?
            var title: String?
            var durationMs: Int?
        }
        var id: String
        var artist: String
        var title: String
        var year: Int?
        var label: String?
        var catalogNumber: String?
        var profiles: [String]
        var bytes: Int64
        var files: [File]
    }

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog(readOnly: true)
            let summary = try catalog.release(release)
            let r = summary.release
            let tracks = Dictionary(
                try catalog.tracks(ofRelease: r.id).map { ($0.fileId, $0) }, uniquingKeysWith: { a, _ in a })
            let files = try catalog.files(ofRelease: r.id).map { file in
                let track = tracks[file.id ?? -1]
                return Detail.File(
                    path: file.relativePath, size: file.size, sha256: file.sha256, mediaType: file.mediaType,
                    disc: track?.discNumber, track: track?.trackNumber, title: track?.title,
                    durationMs: track?.durationMs)
            }
            let detail = Detail(
                id: r.id, artist: r.artist, title: r.title, year: r.year, label: r.label,
                catalogNumber: r.catalogNumber,
                profiles: summary.profiles, bytes: r.totalBytes, files: files)
            if json { return try JSONOutput.print(detail) }
            print("\(r.artist) — \(r.title)" + (r.year.map { " (\($0))" } ?? ""))
            print("id        \(r.id)")
            if let label = r.label { print("label     \(label)" + (r.catalogNumber.map { ", \($0)" } ?? "")) }
            print("size      \(ByteSize.format(r.totalBytes)) in \(files.count) files")
            print("copies    \(summary.profiles.isEmpty ? "none" : summary.profiles.joined(separator: ", "))")
            print("")
            print(
                TextTable.render(
                    header: ["#", "FILE", "SIZE", "LENGTH"],
                    rows: files.map { f in
                        [
                            f.track.map { (f.disc.map { "\($0)." } ?? "") + "\($0)" } ?? "", f.path,
                            ByteSize.format(f.size),
                            f.durationMs.map(Self.duration) ?? "",
                        ]
                    }))
        }
    }

    static func duration(_ ms: Int) -> String {
        let seconds = (ms + 500) / 1000
        return String(format: "%d:%02d", seconds / 60, seconds % 60)
    }
}
