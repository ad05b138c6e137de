import CrateCatalog
import CrateCover
import CrateImporter
import CrateStorage

extension LiveEnvironment {
    /// The file the detail pane shows as the cover: the first front image (`cover`, `folder`,
    /// `front` in its name, as the importer named it), else the first image; JPEG and PNG only,
    /// the formats `CoverDecoder` reads.
    static func coverPath(_ catalog: Catalog, release id: String, files: [FileRecord]) throws -> String? {
        let paths = Dictionary(files.compactMap { file in file.id.map { ($0, file.relativePath) } }) { a, _ in a }
        let images = try catalog.images(ofRelease: id).filter { image in
            let path = paths[image.fileId]?.lowercased() ?? ""
            return [".jpg", ".jpeg", ".png"].contains { path.hasSuffix($0) }
        }
        let chosen = images.first { $0.kind == .front } ?? images.first
        return chosen.flatMap { paths[$0.fileId] }
    }

    /// Reads `path` from the first copy of the release that opens, as export does — so a cover
    /// shown is a copy read back, its SHA-256 checked — and decodes it to fit 32×32 pixels.
    /// A locked profile's copy is skipped (its opener asks no one), never prompted for.
    static func loadCover(_ copies: ReleaseCopies, release id: String, path: String) async throws -> CoverImage {
        let release: ReleaseStorage
        do {
            (release, _) = try await copies.open(release: id)
        } catch StorageError.keyUnavailable {
            throw CLIFailure(message: "its copies are on locked profiles (u on the Profiles screen unlocks one)")
        }
        let file = try release.file(path)
        guard file.size <= CoverDecoder.maxBytes else { throw CoverError.fileTooLarge(bytes: Int(file.size)) }
        let reader = try await release.readFile(path, verify: true)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(file.size))
        while true {
            let piece = try await reader.read(upTo: 1 << 20)
            if piece.isEmpty { break }
            bytes.append(contentsOf: piece)
            // The manifest's size is trusted only as far as the bytes agree with it.
            guard bytes.count <= CoverDecoder.maxBytes else { throw CoverError.fileTooLarge(bytes: bytes.count) }
        }
        return try CoverDecoder.decode(bytes)
    }
}
