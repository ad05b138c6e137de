import CrateCore
import Foundation
import GRDB

/// A row of `storage_profiles`: a `ProfileSpec` plus identity, default flag and wrapped key.
public struct StorageProfileRecord: CatalogRecord, Hashable {
    public static let databaseTableName = "storage_profiles"

    public var id: Int64?
    public var name: String
    public var locationKind: String
    public var localPath: String?
    public var s3Endpoint: String?
    public var s3Region: String?
    public var s3Bucket: String?
    public var s3Prefix: String?
    public var s3Addressing: String?
    public var s3CredentialsProfile: String?
    public var s3CaBundle: String?
    public var encrypted: Bool
    public var chunked: Bool
    public var chunkSize: Int?
    public var isDefault: Bool
    /// Identifies the data key (not secret); `nil` until the key exists.
    public var keyId: String?
    /// The data key wrapped under the passphrase, as JSON; never the key itself.
    public var wrappedKey: String?
    public var createdAt: Date
    public var updatedAt: Date

    public enum Columns {
        public static let name = Column("name")
        public static let isDefault = Column("is_default")
    }

    public init(spec: ProfileSpec, isDefault: Bool = false, now: Date = Date()) {
        self.name = spec.name
        self.locationKind = spec.location.kind
        self.encrypted = spec.encrypted
        self.chunked = spec.chunked
        self.chunkSize = spec.chunkSize
        self.isDefault = isDefault
        self.createdAt = now
        self.updatedAt = now
        apply(spec.location)
    }

    /// The profile as the other layers see it.
    public var spec: ProfileSpec {
        ProfileSpec(name: name, location: location, encrypted: encrypted, chunked: chunked, chunkSize: chunkSize)
    }

    public var location: ProfileLocation {
        if locationKind == "s3" {
            return .s3(
                S3Location(
                    endpoint: s3Endpoint ?? "", region: s3Region ?? "", bucket: s3Bucket ?? "",
                    prefix: s3Prefix ?? "",
                    addressing: s3Addressing.flatMap(AddressingStyle.init(rawValue:)) ?? .virtualHosted,
                    credentialsProfile: s3CredentialsProfile, caBundle: s3CaBundle))
        }
        return .local(path: localPath ?? "")
    }

    /// Replaces the spec's values (name, location, flags) and touches `updatedAt`.
    public mutating func update(from spec: ProfileSpec, now: Date = Date()) {
        name = spec.name
        locationKind = spec.location.kind
        encrypted = spec.encrypted
        chunked = spec.chunked
        chunkSize = spec.chunkSize
        updatedAt = now
        apply(spec.location)
    }

    private mutating func apply(_ location: ProfileLocation) {
        localPath = nil
        (s3Endpoint, s3Region, s3Bucket, s3Prefix, s3Addressing, s3CredentialsProfile) = (nil, nil, nil, nil, nil, nil)
        s3CaBundle = nil
        switch location {
        case .local(let path):
            localPath = path
        case .s3(let s3):
            s3Endpoint = s3.endpoint
            s3Region = s3.region
            s3Bucket = s3.bucket
            s3Prefix = s3.prefix
            s3Addressing = s3.addressing.rawValue
            s3CredentialsProfile = s3.credentialsProfile
            s3CaBundle = s3.caBundle
        }
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
