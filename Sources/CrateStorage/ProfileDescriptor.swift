import CrateCore
import Foundation

/// The contents of `crate-profile.json` at the root of every profile: what a reader needs to
/// know about the profile's objects before reading any. Never holds a secret.
public struct ProfileDescriptor: Codable, Hashable, Sendable {
    /// Where the descriptor lives in the profile's store.
    public static let objectKey = "crate-profile.json"
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var encrypted: Bool
    public var chunked: Bool
    /// Chunk size in bytes; `nil` for unchunked profiles.
    public var chunkSize: Int?
    /// The data key wrapped under the passphrase; present exactly when `encrypted`.
    public var wrappedKey: WrappedKey?
    public var created: Date

    public init(
        formatVersion: Int = currentFormatVersion, encrypted: Bool, chunked: Bool, chunkSize: Int?,
        wrappedKey: WrappedKey?, created: Date
    ) {
        self.formatVersion = formatVersion
        self.encrypted = encrypted
        self.chunked = chunked
        self.chunkSize = chunkSize
        self.wrappedKey = wrappedKey
        self.created = created
    }

    /// The descriptor of a profile with this spec (and, when encrypted, this wrapped key).
    public init(spec: ProfileSpec, wrappedKey: WrappedKey?, created: Date = Date()) {
        self.init(
            encrypted: spec.encrypted, chunked: spec.chunked, chunkSize: spec.chunked ? spec.chunkSize : nil,
            wrappedKey: wrappedKey, created: created)
    }

    /// The descriptor as pretty, key-sorted JSON.
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// Parses a descriptor, checking its version and consistency.
    public static func parse(_ bytes: [UInt8]) throws -> ProfileDescriptor {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let descriptor: ProfileDescriptor
        do {
            descriptor = try decoder.decode(ProfileDescriptor.self, from: Data(bytes))
        } catch {
            throw StorageError.malformedDocument(key: objectKey, reason: "\(error)")
        }
        guard descriptor.formatVersion == currentFormatVersion else {
            throw StorageError.unsupportedDocumentVersion(key: objectKey, version: descriptor.formatVersion)
        }
        guard descriptor.encrypted == (descriptor.wrappedKey != nil) else {
            throw StorageError.malformedDocument(
                key: objectKey, reason: "encrypted profiles (only) carry a wrapped key")
        }
        return descriptor
    }

    /// Stores the descriptor (always in plain JSON: a reader must see it before having a key).
    public func write(to store: any ObjectStore) async throws {
        try await store.put(Self.objectKey, bytes: try jsonBytes())
    }

    /// The profile's descriptor, or `nil` for a store no profile has been written to yet.
    public static func read(from store: any ObjectStore) async throws -> ProfileDescriptor? {
        guard try await store.head(objectKey) != nil else { return nil }
        return try parse(try await store.getAll(objectKey))
    }

    /// Whether the stored objects were written the way `spec` says (a profile pointed at a
    /// folder another profile uses must not mix formats).
    public func matches(_ spec: ProfileSpec) -> Bool {
        encrypted == spec.encrypted && chunked == spec.chunked && (!chunked || chunkSize == spec.chunkSize)
    }
}
