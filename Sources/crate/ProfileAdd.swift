import ArgumentParser
import CrateCatalog
import CrateCore
import CrateImporter

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

    @Flag(help: "Encrypt everything stored (asks for a passphrase twice, or reads CRATE_PASSPHRASE).")
    var encrypted = false

    @Flag(help: "Cut each release into fixed-size chunks.")
    var chunked = false

    @Option(
        help: ArgumentHelp("Chunk size for --chunked (256KiB…64MiB, a power of two; default 4MiB).", valueName: "SIZE"))
    var chunkSize: String?

    @Flag(name: .customLong("default"), help: "Make this the default profile for imports.")
    var makeDefault = false

    @OptionGroup var passphrase: PassphraseOptions

    func validate() throws { _ = try chunkSizeOption(chunkSize) }

    func run() async throws {
        try await reportingErrors {
            let size = try chunkSizeOption(chunkSize)
            let spec = ProfileSpec(
                name: name, location: try location.location(), encrypted: encrypted, chunked: chunked, chunkSize: size)
            let catalog = try openCatalog()
            let setup = ProfileSetup(catalog: catalog, opener: try passphrase.opener(), scrypt: newKeyScrypt)
            let result = try await setup.create(
                spec, makeDefault: makeDefault, newPassphrase: { try passphrase.new(name) },
                existingPassphrase: { try passphrase.existing(name) })
            switch result {
            case .created(let record):
                print(
                    "added profile \(record.name): \(ProfileSummary(record).line)\(record.isDefault ? " (default)" : "")"
                )
            case .attached(let record, let adjusted, let warnings):
                print(
                    "attached profile \(record.name) to the Crate profile already at \(ProfileSummary(record).locationText): "
                        + ProfileSummary(record).layoutText + (record.isDefault ? " (default)" : ""))
                for warning in warnings { printError("warning: " + warning) }
                if !adjusted.isEmpty {
                    printError(
                        "note: the stored profile is \(adjusted.joined(separator: ", ")); its settings were kept")
                }
                let stored = try await keylessOpener().baseStore(for: record.location).list(prefix: "manifests/").count
                if stored > 0 {
                    print(
                        "it holds \(stored) stored releases, not yet in this catalog; "
                            + "`crate recover --profile \(record.name)` adds them (gc keeps them either way)")
                }
            }
        }
    }
}
