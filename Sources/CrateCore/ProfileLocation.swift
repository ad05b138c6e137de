/// Where a storage profile keeps its objects.
public enum ProfileLocation: Hashable, Sendable, Codable {
    /// A folder on this machine, by absolute path.
    case local(path: String)
    /// A bucket (and optional key prefix) on an S3-compatible server.
    case s3(S3Location)

    /// "local" or "s3", as stored in the catalog's `location_kind` column.
    public var kind: String {
        switch self {
        case .local: "local"
        case .s3: "s3"
        }
    }

    /// A one-line description for tables and messages: the path, or `s3://bucket/prefix @ endpoint`.
    public var summary: String {
        switch self {
        case .local(let path): path
        case .s3(let s3): "s3://\(s3.bucket)\(s3.prefix.isEmpty ? "" : "/" + s3.prefix) @ \(s3.endpoint)"
        }
    }
}

/// How requests name the bucket: in the path (`http://host/bucket/key`) or in the host name
/// (`http://bucket.host/key`).
public enum AddressingStyle: String, Hashable, Sendable, Codable, CaseIterable {
    case path
    case virtualHosted = "virtual-hosted"
}

/// The S3 coordinates of a profile. Credentials are deliberately absent: they come from the
/// environment or `~/.aws/credentials` at run time and are never stored (docs/s3.md).
public struct S3Location: Hashable, Sendable, Codable {
    public var endpoint: String
    public var region: String
    public var bucket: String
    /// Key prefix inside the bucket, without leading or trailing slashes; may be empty.
    public var prefix: String
    public var addressing: AddressingStyle
    /// A named profile in `~/.aws/credentials`, if the user chose one for this storage profile.
    public var credentialsProfile: String?
    /// A PEM file of certificate authorities to trust for this endpoint besides the system's
    /// (a private CA), by absolute path; never the certificates themselves.
    public var caBundle: String?

    public init(
        endpoint: String, region: String, bucket: String, prefix: String = "",
        addressing: AddressingStyle = .virtualHosted, credentialsProfile: String? = nil, caBundle: String? = nil
    ) {
        self.caBundle = caBundle
        self.endpoint = endpoint
        self.region = region
        self.bucket = bucket
        self.prefix = prefix
        self.addressing = addressing
        self.credentialsProfile = credentialsProfile
    }

    /// Parses `s3://BUCKET/PREFIX` into bucket and prefix.
    public static func parseURI(_ uri: String) throws(ProfileValidationError) -> (bucket: String, prefix: String) {
        guard uri.hasPrefix("s3://") else { throw .malformedS3URI(uri) }
        let rest = uri.dropFirst("s3://".count)
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let bucket = String(parts.first ?? "")
        guard !bucket.isEmpty else { throw .malformedS3URI(uri) }
        var prefix = parts.count > 1 ? String(parts[1]) : ""
        while prefix.hasSuffix("/") { prefix.removeLast() }
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        return (bucket, prefix)
    }
}
