import ArgumentParser
import CrateCatalog
import CrateImporter
import CrateStorage
import Foundation

/// `crate cat RELEASE FILE [--range A-B] [--profile NAME]`
struct CatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Write a stored file (or a byte range of it) to standard output.",
        discussion: "--range A-B gives bytes A through B inclusive (as HTTP ranges); A- reads from A to the end."
    )

    @OptionGroup var copy: ReleaseCopyOptions

    @Argument(help: "Path of the file inside the release.")
    var file: String

    @Option(help: ArgumentHelp("Bytes A through B (inclusive), or A- to the end.", valueName: "A-B"))
    var range: String?

    /// For bench/run: counts the requests and bytes of the read itself (not of opening the
    /// release) with a `CountingStore` and prints them as one JSON line on standard error.
    @Flag(help: .hidden)
    var storeCounts = false

    func validate() throws {
        if let range { _ = try Self.parseRange(range) }
    }

    func run() async throws {
        try await reportingErrors { try await stream() }
    }

    private func stream() async throws {
        let counters = CountingStores()
        var wrap: (@Sendable (any ObjectStore) -> any ObjectStore)?
        if storeCounts { wrap = { @Sendable store in counters.wrap(store) } }
        let (storage, _) = try await copy.open(wrapStore: wrap)
        counters.reset()
        let reader: any ByteReader
        if let range {
            reader = try await storage.readRange(file, try Self.parseRange(range))
        } else {
            reader = try await storage.readFile(file, verify: true)
        }
        let out = FileHandle.standardOutput
        while true {
            let piece = try await reader.read(upTo: 1 << 20)
            if piece.isEmpty { break }
            try out.write(contentsOf: piece)
        }
        if storeCounts { printError(counters.json()) }
    }

    static func parseRange(_ text: String) throws -> Range<Int64> {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int64(parts[0]), start >= 0 else {
            throw ValidationError("--range \(text) is not a range; write A-B (bytes A to B inclusive) or A-")
        }
        if parts[1].isEmpty { return start..<Int64.max }
        guard let end = Int64(parts[1]), end >= start else {
            throw ValidationError("--range \(text) is not a range; the end must be a number ≥ the start")
        }
        return start..<(end + 1)
    }
}

/// The release to read and which copy of it: shared by `cat` and `export`.
struct ReleaseCopyOptions: ParsableArguments {
    @Argument(help: "Release id or an unambiguous prefix (see `crate releases`).")
    var release: String

    @Option(help: "Read the copy on this profile (default: the first copy that opens).")
    var profile: String?

    @OptionGroup var passphrase: PassphraseOptions

    /// Opens the chosen copy; `wrapStore` wraps its base store (measurements).
    func open(wrapStore: (@Sendable (any ObjectStore) -> any ObjectStore)? = nil) async throws -> (
        ReleaseStorage, StorageProfileRecord
    ) {
        let catalog = try openCatalog(readOnly: true)
        let id = try catalog.release(release).release.id
        var opener = try passphrase.opener()
        opener.wrapStore = wrapStore
        return try await ReleaseCopies(catalog: catalog, opener: opener).open(release: id, profileName: profile)
    }
}
