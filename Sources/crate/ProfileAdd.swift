import ArgumentParser
import CrateCatalog
import CrateCore

/// `crate profile add NAME --local DIR | --s3 s3://BUCKET/PREFIX --endpoint URL ...`
struct ProfileAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create a storage profile.",
        discussion: """
            Examples:
              crate profile add home --local /srv/music-archive
              crate profile add cloud --s3 s3://my-music/crate --endpoint https://s3.eu-west-1.amazonaws.com \\
                  --region eu-west-1 --encrypted --chunked --chunk-size 8MiB
            """
    )

    @Argument(help: "Name of the new profile (letters, digits, '-', '_', '.').")
    var name: String

    @OptionGroup var location: LocationOptions

    @Flag(help: "Encrypt everything stored (asks for a passphrase).")
    var encrypted = false

    @Flag(help: "Cut each release into fixed-size chunks.")
    var chunked = false

    @Option(
        help: ArgumentHelp("Chunk size for --chunked (256KiB…64MiB, a power of two; default 4MiB).", valueName: "SIZE"))
    var chunkSize: String?

    @Flag(name: .customLong("default"), help: "Make this the default profile for imports.")
    var makeDefault = false

    func run() async throws {
        try await reportingErrors {
            let size = try chunkSize.map { text in
                try asUsageError { () throws(ProfileValidationError) in try ByteSize.parse(text) }
            }
            let spec = ProfileSpec(
                name: name, location: try location.location(), encrypted: encrypted, chunked: chunked, chunkSize: size)
            let catalog = try openCatalog()
            let record = try catalog.addProfile(spec, makeDefault: makeDefault)
            print("added profile \(record.name): \(ProfileSummary(record).line)\(record.isDefault ? " (default)" : "")")
        }
    }
}
