import CrateCore

/// Everything one profile needs to store and read releases: its layout, codec, object store and
/// object naming. `make` is the one place that turns a profile into this stack.
public struct StorageStack: Sendable {
    public let profileName: String
    public let layout: ReleaseLayout
    public let codec: any ObjectCodec
    public let store: any ObjectStore
    public let naming: ObjectNaming

    /// Builds the stack for a profile.
    ///
    /// Writes go through the transforms in this order, reads in the reverse one:
    ///
    ///     plaintext files → layout (WholeFileLayout | ChunkedLayout: which bytes form which
    ///     object, and the object's name) → codec (PlainCodec | SealedCodec: the object's bytes)
    ///     → object store (LocalDirectoryStore | the given store, e.g. S3, with any retrying or
    ///     counting wrappers the caller put around it)
    ///
    /// Every combination of location × encrypted × chunked is built the same way; none is
    /// special-cased. The base store comes built, with its wrappers, from
    /// `ProfileOpener.baseStore` (the one place that knows their order) or from a test.
    ///
    /// - Parameters:
    ///   - spec: the profile.
    ///   - dataKey: the unwrapped data key; required exactly when `spec.encrypted`.
    ///   - store: the base store: the profile's folder or bucket, inside any wrappers.
    public static func make(spec: ProfileSpec, dataKey: DataKey?, store base: any ObjectStore) throws
        -> StorageStack
    {
        let codec: any ObjectCodec
        var identifierKey: [UInt8]?
        if spec.encrypted {
            guard let dataKey else {
                throw StorageError.keyUnavailable(reason: "profile \(spec.name) is encrypted; unlock it first")
            }
            codec = SealedCodec(dataKey: dataKey)
            identifierKey = dataKey.identifierKey
        } else {
            codec = PlainCodec()
        }
        let layout: ReleaseLayout =
            spec.chunked
            ? .chunked(ChunkedLayout(chunkSize: spec.chunkSize ?? ProfileSpec.defaultChunkSize))
            : .wholeFile(WholeFileLayout())
        return StorageStack(
            profileName: spec.name, layout: layout, codec: codec, store: base,
            naming: ObjectNaming(identifierKey: identifierKey, chunked: spec.chunked))
    }

    /// A writer that stores one release's files, in order, and reports each object.
    ///
    /// `resuming`: the whole-file objects an interrupted run of the same job stored, key →
    /// SHA-256 of the plaintext stored there (`ReleaseWriter.writeFile(path:size:sha256:open:)`).
    public func makeWriter(
        release: ReleaseInfo, resuming: [String: String] = [:],
        onEvent: @escaping @Sendable (StorageEvent) async -> Void = { _ in }
    ) throws -> ReleaseWriter {
        try ReleaseWriter(stack: self, release: release, resuming: resuming, onEvent: onEvent)
    }

    /// The release copy whose manifest is `manifests/<releaseID>`.
    public func openRelease(id releaseID: String) async throws -> ReleaseStorage {
        let key = ObjectNaming.manifestKey(releaseID: releaseID)
        guard let bytes = try await codec.getDocument(key: key, in: store) else {
            throw StorageError.notFound(key: key)
        }
        return ReleaseStorage(stack: self, manifest: try ReleaseManifest.parse(bytes, key: key))
    }

    /// Ids of every release with a manifest on this profile (for `crate recover`).
    public func releaseIDs() async throws -> [String] {
        try await store.list(prefix: "manifests/").map { String($0.key.dropFirst("manifests/".count)) }
    }

    func storeManifest(_ manifest: ReleaseManifest) async throws {
        try await codec.putDocument(try manifest.jsonBytes(), key: manifest.objectKey, in: store)
    }
}
