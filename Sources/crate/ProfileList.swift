import ArgumentParser
import CrateCatalog
import CrateCore

/// `crate profile list [--json]`
struct ProfileList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List storage profiles.")

    @Flag(help: "Print a JSON array of profile objects.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog(readOnly: true)
            let usage = try catalog.profileUsage()
            let summaries = try catalog.profiles().map { record in
                ProfileSummary(
                    record, releases: usage[record.id ?? -1]?.releases ?? 0, bytes: usage[record.id ?? -1]?.bytes ?? 0)
            }
            if json { return try JSONOutput.print(summaries) }
            if summaries.isEmpty {
                print("no profiles yet; add one with `crate profile add NAME --local DIR`")
                return
            }
            let header = ["", "NAME", "LOCATION", "ENCRYPTED", "CHUNKED", "RELEASES", "SIZE"]
            let rows = summaries.map { s in
                [
                    s.isDefault ? "*" : "", s.name, s.locationText, s.encrypted ? "yes" : "no",
                    s.chunked ? ByteSize.format(s.chunkSize ?? 0) : "no", "\(s.releases)", ByteSize.format(s.bytes),
                ]
            }
            print(TextTable.render(header: header, rows: rows))
            print("* default profile")
        }
    }
}

/// Left-aligned columns separated by two spaces, widths in terminal columns (CJK counts 2).
enum TextTable {
    /// Columns padded to their widest cell; cells are made safe for the terminal first, so an
    /// escape shown as `\x1B` is measured as the four characters it prints.
    static func render(header: [String], rows: [[String]]) -> String {
        let all = ([header] + rows).map { $0.map { Terminal.safe($0) } }
        let widths = header.indices.map { column in all.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : DisplayWidth.pad(cell, to: widths[index])
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
