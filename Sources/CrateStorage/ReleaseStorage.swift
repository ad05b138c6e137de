/// One release on one profile: the API the rest of the program reads releases through.
/// Every read streams; a chunked file is read through the file-chunk mapping and only the
/// chunks (and, when sealed, the segments) covering the request are fetched.
public struct ReleaseStorage: Sendable {
    public let stack: StorageStack
    public private(set) var manifest: ReleaseManifest
    private var filesByPath: [String: ManifestFile] = [:]
    private var rowsByFile: [Int: [FileChunkPiece]] = [:]
    private var chunksByID: [String: ChunkRecord] = [:]
    private var sharedChunks = SharedChunkReads(readsByKey: [:])

    /// A release from a manifest the caller already has (from the catalog or `finish()`).
    public init(stack: StorageStack, manifest: ReleaseManifest) {
        self.stack = stack
        self.manifest = manifest
        index()
    }

    private mutating func index() {
        filesByPath = Dictionary(manifest.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        rowsByFile = Dictionary(grouping: manifest.mapping, by: \.fileIndex)
        chunksByID = Dictionary(manifest.chunks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var reads: [String: Int] = [:]
        for row in manifest.mapping {
            if let key = chunksByID[row.chunkID]?.objectKey { reads[key, default: 0] += 1 }
        }
        sharedChunks = SharedChunkReads(readsByKey: reads)
    }

    public var releaseID: String { manifest.release.id }

    /// The release's files, sorted by path.
    public func listFiles() -> [ManifestFile] { manifest.files }

    /// The manifest entry of `path`.
    public func file(_ path: String) throws -> ManifestFile {
        guard let file = filesByPath[path] else { throw StorageError.fileNotFound(release: releaseID, path: path) }
        return file
    }

    /// Whether the release has `path` and every object holding it is present in the store.
    public func fileExists(_ path: String) async throws -> Bool {
        guard let file = filesByPath[path] else { return false }
        for key in objectKeys(of: file) where try await stack.store.head(key) == nil { return false }
        return true
    }

    /// The whole file, checked against its recorded SHA-256 at the end (`verify`).
    public func readFile(_ path: String, verify: Bool = true) async throws -> any ByteReader {
        let file = try file(path)
        let reader = try await read(file, range: 0..<file.size)
        // Fetching and opening runs one piece ahead of hashing (and of the caller's writing).
        return verify ? VerifyingReader(ReadAheadReader(reader), file: file, releaseID: releaseID) : reader
    }

    /// The bytes `range` of a file: half-open, clipped at the end of the file; a range starting
    /// past the end throws `invalidRange`.
    public func readRange(_ path: String, _ range: Range<Int64>) async throws -> any ByteReader {
        let file = try file(path)
        guard range.lowerBound >= 0, range.lowerBound <= file.size else {
            throw StorageError.invalidRange(key: path, range: range, size: file.size)
        }
        return try await read(file, range: range.lowerBound..<min(range.upperBound, file.size))
    }

    private func read(_ file: ManifestFile, range: Range<Int64>) async throws -> any ByteReader {
        guard !range.isEmpty else { return BytesReader([]) }
        switch stack.layout {
        case .wholeFile(let layout):
            return try await layout.read(file, range: range, stack: stack)
        case .chunked(let layout):
            return try layout.read(
                file, range: range, rows: rowsByFile[file.index] ?? [], chunks: chunksByID, releaseID: releaseID,
                stack: stack, shared: sharedChunks)
        }
    }

    /// Removes a file from the release and stores the updated manifest. Its own object is
    /// deleted (whole-file layout); chunks are left in place, since identical chunks may be
    /// shared with other releases, for `crate gc` to collect.
    public mutating func deleteFile(_ path: String) async throws {
        let file = try file(path)
        if let key = file.objectKey { try await stack.store.delete(key) }
        manifest.files.removeAll { $0.index == file.index }
        manifest.mapping.removeAll { $0.fileIndex == file.index }
        let referenced = Set(manifest.mapping.map(\.chunkID))
        manifest.chunks.removeAll { !referenced.contains($0.id) }
        index()
        try await stack.storeManifest(manifest)
    }

    /// Every object that holds part of `file`.
    public func objectKeys(of file: ManifestFile) -> [String] {
        if let key = file.objectKey { return [key] }
        var seen = Set<String>()
        return (rowsByFile[file.index] ?? []).sorted { $0.chunkIndex < $1.chunkIndex }
            .compactMap { chunksByID[$0.chunkID]?.objectKey }
            .filter { seen.insert($0).inserted }
    }
}
