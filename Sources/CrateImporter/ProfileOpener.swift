import CrateCatalog
import CrateCore
import CrateS3
import CrateStorage
import Foundation

/// Turns a catalog profile into its storage stack: picks the base store (a local folder or
/// S3), unlocks the data key of an encrypted profile, and hands both to `StorageStack.make`,
/// which orders the transforms.
public struct ProfileOpener: Sendable {
    /// Asks for the passphrase of an encrypted profile (prompt, `CRATE_PASSPHRASE` or a file).
    public var passphrase: @Sendable (StorageProfileRecord) throws -> String
    /// S3 credentials to use instead of the environment's (tests).
    public var s3Credentials: S3Credentials?
    /// A recovery code to unlock encrypted profiles with instead of asking for the passphrase
    /// (`CRATE_RECOVERY_CODE`, `--recovery-code-file`); `nil` when none was given.
    public var recoveryCode: @Sendable (StorageProfileRecord) throws -> String?
    /// Wraps every base store this opener makes (e.g. in a `CountingStore` for measurements);
    /// the wrapper sits directly on the folder or bucket, under the codec and layout.
    public var wrapStore: (@Sendable (any ObjectStore) -> any ObjectStore)?
    /// The pace every put of this opener's stores keeps (`CRATE_BWLIMIT`), under `wrapStore`;
    /// plans estimate their duration with it.
    public var uploadPace: UploadPace?
    /// Keys unwrapped earlier in this process (the terminal UI keeps one for its session);
    /// `nil` unwraps on every open.
    public var unlockedKeys: UnlockedKeys?
    /// How store locks of the profiles it opens behave (`CRATE_LOCK_*`; tests shorten them).
    public var lockSettings: StoreLocks.Settings = .standard

    public init(
        passphrase: @escaping @Sendable (StorageProfileRecord) throws -> String, s3Credentials: S3Credentials? = nil,
        recoveryCode: @escaping @Sendable (StorageProfileRecord) throws -> String? = { _ in nil }
    ) {
        self.passphrase = passphrase
        self.s3Credentials = s3Credentials
        self.recoveryCode = recoveryCode
    }

    /// The secret for an encrypted profile: the recovery code when one was given, else the
    /// passphrase.
    public func secret(for record: StorageProfileRecord) throws -> ProfileSecret {
        if let code = try recoveryCode(record) { return .recoveryCode(code) }
        return .passphrase(try passphrase(record))
    }

    /// The stack for `record`; `onRetry` hears of every retried S3 request.
    public func open(
        _ record: StorageProfileRecord, onRetry: @escaping @Sendable (RetryEvent) -> Void = { _ in }
    ) async throws -> StorageStack {
        try open(record, dataKey: try await dataKey(for: record), onRetry: onRetry)
    }

    /// The stack for `record` with its data key already unlocked (see `startUnlocking`).
    public func open(
        _ record: StorageProfileRecord, dataKey: DataKey?, onRetry: @escaping @Sendable (RetryEvent) -> Void = { _ in }
    ) throws -> StorageStack {
        let spec = record.spec
        let store = try baseStore(for: spec.location, onRetry: onRetry)
        return try StorageStack.make(spec: spec, dataKey: dataKey, store: store)
    }

    /// Asks for the secret of an encrypted profile now, and unlocks its data key on another
    /// task: scrypt takes about half a second of one core, which an import spends scanning and
    /// identifying the release meanwhile. The task's value is `nil` for a plain profile.
    public func startUnlocking(_ record: StorageProfileRecord) throws -> Task<DataKey?, any Error> {
        guard record.encrypted else { return Task { nil } }
        if let known = unlockedKeys?.key(for: record) { return Task { known } }
        let wrapped = try wrappedKey(of: record)
        let secret = try secret(for: record)
        let unwrap = { @Sendable in try await wrapped.unlocking(secret, profileName: record.name) }
        guard let keys = unlockedKeys else { return Task { try await unwrap() } }
        let unlocking = keys.unlock(record, unwrap: unwrap)
        return Task { try await unlocking.valueUnlessCancelled() }
    }

    /// The bottom of the stack, built in one order for every caller (CLI, terminal UI, gc),
    /// innermost first:
    ///
    ///     LocalDirectoryStore | S3Store (with its retry policy)
    ///       → RateLimitedStore, when `uploadPace` is set
    ///       → `wrapStore`'s wrapper, when set (measurements, tests)
    ///
    /// `StorageStack.make` puts the codec and layout on top. Reach a store below the wrappers
    /// with `ObjectStore.unwrap(as:)`.
    public func baseStore(
        for location: ProfileLocation, onRetry: @escaping @Sendable (RetryEvent) -> Void = { _ in }
    ) throws -> any ObjectStore {
        var base: any ObjectStore
        switch location {
        case .local(let path):
            base = LocalDirectoryStore(root: path)
        case .s3(let location):
            base = try S3Store(
                location: location, credentials: s3Credentials, retryPolicy: RetryPolicy(onRetry: onRetry))
        }
        if let uploadPace { base = RateLimitedStore(wrapping: base, pace: uploadPace) }
        return wrapStore.map { $0(base) } ?? base
    }

    /// The unwrapped data key of an encrypted profile; `nil` for a plain one.
    public func dataKey(for record: StorageProfileRecord) async throws -> DataKey? {
        guard record.encrypted else { return nil }
        if let known = unlockedKeys?.key(for: record) { return known }
        let key = try await wrappedKey(of: record).unlocking(try secret(for: record), profileName: record.name)
        unlockedKeys?.remember(key, for: record)
        return key
    }

    private func wrappedKey(of record: StorageProfileRecord) throws -> WrappedKey {
        guard let json = record.wrappedKey,
            let wrapped = try? JSONDecoder().decode(WrappedKey.self, from: Data(json.utf8))
        else {
            throw StorageError.keyUnavailable(
                reason: "profile \(record.name) is encrypted but has no key in the catalog; re-attach it")
        }
        return wrapped
    }
}
