import ArgumentParser
import CrateCatalog
import CrateCore

/// `crate profile show NAME [--json]`
struct ProfileShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one storage profile.")

    @Argument(help: "Profile name.")
    var name: String

    @Flag(help: "Print a JSON object.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog(readOnly: true)
            let record = try catalog.profile(named: name)
            let usage = try catalog.profileUsage()[record.id ?? -1]
            let s = ProfileSummary(record, releases: usage?.releases ?? 0, bytes: usage?.bytes ?? 0)
            if json { return try JSONOutput.print(s) }
            var lines = [("name", s.name + (s.isDefault ? " (default)" : ""))]
            switch s.location.kind {
            case "s3":
                lines += [
                    ("location", "s3://\(s.location.bucket ?? "")/\(s.location.prefix ?? "")"),
                    ("endpoint", s.location.endpoint ?? ""), ("region", s.location.region ?? ""),
                    ("addressing", s.location.addressing ?? ""),
                    (
                        "credentials",
                        s.location.credentialsProfile.map { "~/.aws/credentials [\($0)]" } ?? "environment"
                    ),
                    ("trusted CAs", (s.location.caBundle.map { "\($0) and " } ?? "") + "the system's"),
                ]
            default:
                lines.append(("location", s.location.path ?? ""))
            }
            lines += [
                ("encrypted", s.encrypted ? "yes" : "no"),
                (
                    "chunked",
                    s.chunked ? "yes, \(ByteSize.format(s.chunkSize ?? 0)) chunks" : "no (one object per file)"
                ),
                ("releases", "\(s.releases) (\(ByteSize.format(s.bytes)))"),
                ("created", s.createdAt.formatted(.iso8601)),
            ]
            for (label, value) in lines { print(label.padding(toLength: 13, withPad: " ", startingAt: 0) + value) }
        }
    }
}
