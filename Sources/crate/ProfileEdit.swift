import ArgumentParser
import CrateCatalog
import CrateCore

/// `crate profile edit NAME [--name NEW] [location options] [--chunked|--no-chunked] [--chunk-size SIZE]`
struct ProfileEdit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change a storage profile.",
        discussion: """
            The location and the name can always change (say, after moving the folder).
            Chunking and chunk size can change only while the profile holds no releases.
            Encryption is chosen when a profile is created.
            """
    )

    @Argument(help: "Profile to change.")
    var name: String

    @Option(name: .customLong("name"), help: ArgumentHelp("New name.", valueName: "NEW"))
    var newName: String?

    @OptionGroup var location: LocationOptions

    @Flag(inversion: .prefixedNo, help: "Cut releases into chunks (or not).")
    var chunked: Bool?

    @Option(help: ArgumentHelp("New chunk size (256KiB…64MiB, a power of two).", valueName: "SIZE"))
    var chunkSize: String?

    func validate() throws { _ = try chunkSizeOption(chunkSize) }

    func run() async throws {
        try await reportingErrors {
            let catalog = try openCatalog()
            var spec = try catalog.profile(named: name).spec
            if let newName { spec.name = newName }
            spec.location = try location.location(current: spec.location)
            if let chunked {
                spec.chunked = chunked
                spec.chunkSize = chunked ? (spec.chunkSize ?? ProfileSpec.defaultChunkSize) : nil
            }
            if let size = try chunkSizeOption(chunkSize) { spec.chunkSize = size }
            let record = try catalog.updateProfile(named: name, to: spec)
            print("updated profile \(record.name): \(ProfileSummary(record).line)")
        }
    }
}
