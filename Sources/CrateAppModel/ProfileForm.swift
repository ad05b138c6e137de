import CrateCore
import Foundation

/// The new/edit profile form: its fields, which one has focus, and the last validation error.
public struct ProfileForm: Hashable, Sendable {
    public enum Field: Int, CaseIterable, Hashable, Sendable {
        case name, kind, path, endpoint, region, bucket, addressing, encrypted, chunked, chunkSize
        case passphrase, confirmation, makeDefault

        public var label: String {
            switch self {
            case .name: "Name"
            case .kind: "Location"
            case .path: "Folder"
            case .endpoint: "Endpoint"
            case .region: "Region"
            case .bucket: "Bucket"
            case .addressing: "Addressing"
            case .encrypted: "Encrypted"
            case .chunked: "Chunked"
            case .chunkSize: "Chunk size"
            case .passphrase: "Passphrase"
            case .confirmation: "Confirm"
            case .makeDefault: "Default"
            }
        }

        /// Toggles and choices change with Space; the rest take text.
        public var isToggle: Bool {
            [.kind, .addressing, .encrypted, .chunked, .makeDefault].contains(self)
        }

        public var isSecret: Bool { self == .passphrase || self == .confirmation }
    }

    /// The profile being edited, or `nil` for a new one.
    public var editing: String?
    public var name = ""
    public var isS3 = false
    public var path = ""
    public var endpoint = ""
    public var region = "us-east-1"
    /// `s3://BUCKET[/PREFIX]`.
    public var bucket = ""
    public var pathStyle = true
    public var encrypted = true
    public var chunked = true
    public var chunkSize = "4MiB"
    public var passphrase = ""
    public var confirmation = ""
    public var makeDefault = false
    public var focus: Field = .name
    public var error: String?
    public var saving = false

    public init() {}

    /// A form filled from an existing profile, for editing its name and location.
    public init(editing row: ProfileRow) {
        editing = row.name
        name = row.name
        isS3 = row.isS3
        if !row.isS3 { path = row.location }
        encrypted = row.encrypted
        chunked = row.chunked
        chunkSize = row.chunkSize.map { ByteSize.format($0) } ?? "4MiB"
        makeDefault = row.isDefault
    }

    /// The fields shown for the current choices, in order.
    public var visibleFields: [Field] {
        Field.allCases.filter { field in
            switch field {
            case .path: !isS3
            case .endpoint, .region, .bucket, .addressing: isS3
            case .chunkSize: chunked
            case .passphrase, .confirmation: encrypted && editing == nil
            case .encrypted, .chunked: editing == nil
            default: true
            }
        }
    }

    public func text(_ field: Field) -> String {
        switch field {
        case .name: name
        case .kind: isS3 ? "S3" : "local folder"
        case .path: path
        case .endpoint: endpoint
        case .region: region
        case .bucket: bucket
        case .addressing: pathStyle ? "path" : "virtual-hosted"
        case .encrypted: encrypted ? "yes" : "no"
        case .chunked: chunked ? "yes" : "no"
        case .chunkSize: chunkSize
        case .passphrase: String(repeating: "•", count: passphrase.count)
        case .confirmation: String(repeating: "•", count: confirmation.count)
        case .makeDefault: makeDefault ? "yes" : "no"
        }
    }

    mutating func edit(_ field: Field, _ change: (inout String) -> Void) {
        switch field {
        case .name: change(&name)
        case .path: change(&path)
        case .endpoint: change(&endpoint)
        case .region: change(&region)
        case .bucket: change(&bucket)
        case .chunkSize: change(&chunkSize)
        case .passphrase: change(&passphrase)
        case .confirmation: change(&confirmation)
        default: break
        }
    }

    mutating func toggle(_ field: Field) {
        switch field {
        case .kind: isS3.toggle()
        case .addressing: pathStyle.toggle()
        case .encrypted: encrypted.toggle()
        case .chunked: chunked.toggle()
        case .makeDefault: makeDefault.toggle()
        default: break
        }
    }

    mutating func moveFocus(by offset: Int) {
        let fields = visibleFields
        let index = fields.firstIndex(of: focus) ?? 0
        focus = fields[(index + offset + fields.count) % fields.count]
    }

    /// Checks what can be checked without the disk or the network and builds the draft; the
    /// save effect runs the full validation (folder writable, name unique) and reports back.
    public func validated() -> Result<ProfileDraft, FormError> {
        func fail(_ field: Field, _ message: String) -> Result<ProfileDraft, FormError> {
            .failure(FormError(field: field, message: message))
        }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return fail(.name, ProfileValidationError.emptyName.description) }
        let nameOK = trimmed.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }
        if !nameOK || trimmed.hasPrefix("-") {
            return fail(.name, ProfileValidationError.invalidName(trimmed).description)
        }
        let location: ProfileLocation
        if isS3 {
            guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
                return fail(.endpoint, ProfileValidationError.malformedEndpoint(endpoint).description)
            }
            if region.isEmpty { return fail(.region, ProfileValidationError.emptyRegion.description) }
            let uri = bucket.hasPrefix("s3://") ? bucket : "s3://" + bucket
            guard let parsed = try? S3Location.parseURI(uri) else {
                return fail(.bucket, ProfileValidationError.malformedS3URI(bucket).description)
            }
            location = .s3(
                S3Location(
                    endpoint: endpoint, region: region, bucket: parsed.bucket, prefix: parsed.prefix,
                    addressing: pathStyle ? .path : .virtualHosted))
        } else {
            guard path.hasPrefix("/") else {
                return fail(.path, ProfileValidationError.relativePath(path).description)
            }
            location = .local(path: path)
        }
        var size: Int?
        if chunked {
            do {
                let parsed = try ByteSize.parse(chunkSize)
                if !ProfileSpec.chunkSizeRange.contains(parsed) {
                    return fail(.chunkSize, ProfileValidationError.chunkSizeOutOfRange(parsed).description)
                }
                if parsed & (parsed - 1) != 0 {
                    return fail(.chunkSize, ProfileValidationError.chunkSizeNotPowerOfTwo(parsed).description)
                }
                size = parsed
            } catch {
                return fail(.chunkSize, error.description)
            }
        }
        if encrypted && editing == nil {
            if passphrase.isEmpty { return fail(.passphrase, "the passphrase is empty; type one (twice)") }
            if passphrase != confirmation {
                return fail(.confirmation, "the two passphrases differ; type the same one in both fields")
            }
        }
        let spec = ProfileSpec(
            name: trimmed, location: location, encrypted: encrypted, chunked: chunked, chunkSize: size)
        return .success(
            ProfileDraft(
                editing: editing, spec: spec, passphrase: encrypted && editing == nil ? passphrase : nil,
                makeDefault: makeDefault))
    }
}

/// A form field that failed validation, with a message a user can act on.
public struct FormError: Error, Hashable, Sendable {
    public var field: ProfileForm.Field
    public var message: String
}

/// What the save effect stores: the spec, the new passphrase (encrypted only), the default flag.
public struct ProfileDraft: Hashable, Sendable {
    public var editing: String?
    public var spec: ProfileSpec
    public var passphrase: String?
    public var makeDefault: Bool

    public init(editing: String? = nil, spec: ProfileSpec, passphrase: String?, makeDefault: Bool) {
        self.editing = editing
        self.spec = spec
        self.passphrase = passphrase
        self.makeDefault = makeDefault
    }
}
