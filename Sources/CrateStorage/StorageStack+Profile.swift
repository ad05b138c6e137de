import CrateCore

extension StorageStack {
    /// Makes a profile's store ready for first use: writes `crate-profile.json`, or accepts the
    /// one already there when it describes the same profile (and, when sealed, the same key).
    @discardableResult
    public static func prepareProfile(spec: ProfileSpec, wrappedKey: WrappedKey?, store: (any ObjectStore)? = nil)
        async throws -> ProfileDescriptor
    {
        let base = try baseStore(spec: spec, store: store)
        if let existing = try await ProfileDescriptor.read(from: base) {
            guard existing.matches(spec) else {
                throw StorageError.profileMismatch(
                    profile: spec.name, reason: "its location already holds a profile with other settings")
            }
            guard existing.wrappedKey?.keyID == wrappedKey?.keyID else {
                throw StorageError.profileMismatch(
                    profile: spec.name, reason: "its location already holds objects sealed under another key")
            }
            return existing
        }
        let descriptor = ProfileDescriptor(spec: spec, wrappedKey: wrappedKey)
        try await descriptor.write(to: base)
        return descriptor
    }

    /// Opens a prepared profile: reads `crate-profile.json`, checks it against `spec`, unwraps
    /// the data key with the passphrase `passphrase` returns (asked only for encrypted
    /// profiles), and builds the stack with `make`.
    public static func open(
        spec: ProfileSpec, store: (any ObjectStore)? = nil, passphrase: () throws -> String
    ) async throws -> StorageStack {
        let base = try baseStore(spec: spec, store: store)
        guard let descriptor = try await ProfileDescriptor.read(from: base) else {
            throw StorageError.profileMismatch(
                profile: spec.name, reason: "its location has no crate-profile.json; was the profile created?")
        }
        guard descriptor.matches(spec) else {
            throw StorageError.profileMismatch(
                profile: spec.name, reason: "crate-profile.json describes different settings")
        }
        var dataKey: DataKey?
        if let wrapped = descriptor.wrappedKey {
            dataKey = try wrapped.unwrap(passphrase: try passphrase(), profileName: spec.name)
        }
        return try make(spec: spec, dataKey: dataKey, store: base)
    }

    static func baseStore(spec: ProfileSpec, store: (any ObjectStore)?) throws -> any ObjectStore {
        switch (spec.location, store) {
        case (_, let store?): store
        case (.local(let path), nil): LocalDirectoryStore(root: path)
        case (.s3, nil): throw StorageError.storeUnavailable(profile: spec.name)
        }
    }
}
