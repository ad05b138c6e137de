import ArgumentParser
import CrateCore
import Foundation

/// Where a profile stores: `--local DIR`, or `--s3 s3://BUCKET/PREFIX` with its endpoint.
struct LocationOptions: ParsableArguments {
    @Option(name: .customLong("local"), help: ArgumentHelp("Store in this folder (absolute path).", valueName: "DIR"))
    var localPath: String?

    @Option(
        name: .customLong("s3"), help: ArgumentHelp("Store in this bucket and prefix.", valueName: "s3://BUCKET/PREFIX")
    )
    var s3URI: String?

    @Option(help: ArgumentHelp("S3 endpoint, e.g. https://s3.eu-central-1.amazonaws.com.", valueName: "URL"))
    var endpoint: String?

    @Option(help: "S3 region (default us-east-1).")
    var region: String?

    @Flag(help: "Name the bucket in the path (http://host/bucket/key), as MinIO and moto expect.")
    var pathStyle = false

    @Flag(help: "Name the bucket in the host name (http://bucket.host/key), as AWS prefers.")
    var virtualHosted = false

    @Option(help: ArgumentHelp("Named profile in ~/.aws/credentials for this storage profile.", valueName: "NAME"))
    var credentialsProfile: String?

    @Option(
        help: ArgumentHelp(
            "PEM file of certificate authorities to trust for this endpoint besides the system's (a private CA; "
                + "AWS_CA_BUNDLE adds one for every profile). Stored as a path; \"\" removes it.",
            valueName: "FILE"))
    var caBundle: String?

    var isEmpty: Bool {
        localPath == nil && s3URI == nil && endpoint == nil && region == nil && !pathStyle && !virtualHosted
            && credentialsProfile == nil && caBundle == nil
    }

    func validate() throws {
        if localPath != nil && s3URI != nil { throw ValidationError("give either --local or --s3, not both") }
        if pathStyle && virtualHosted {
            throw ValidationError("give either --path-style or --virtual-hosted, not both")
        }
        if localPath != nil
            && (endpoint != nil || region != nil || pathStyle || virtualHosted || credentialsProfile != nil
                || caBundle != nil)
        {
            throw ValidationError(
                "--endpoint, --region, --ca-bundle and the addressing flags belong with --s3, not --local")
        }
    }

    /// The location these options describe (`validate` has checked the combination);
    /// `current` supplies what an edit leaves unsaid.
    func location(current: ProfileLocation? = nil) throws -> ProfileLocation {
        if let localPath {
            guard localPath.hasPrefix("/") else {
                let absolute = URL(fileURLWithPath: localPath).standardizedFileURL.path
                throw CLIFailure(
                    message: ProfileValidationError.relativePath(localPath).description + " (for example \(absolute))",
                    code: 64)
            }
            return .local(path: localPath)
        }
        var s3: S3Location
        if let s3URI {
            let (bucket, prefix) = try asUsageError { () throws(ProfileValidationError) in
                try S3Location.parseURI(s3URI)
            }
            guard let endpoint = endpoint ?? current?.s3?.endpoint else {
                throw CLIFailure(message: "--s3 needs --endpoint URL (e.g. https://s3.amazonaws.com)", code: 64)
            }
            s3 = S3Location(
                endpoint: endpoint, region: current?.s3?.region ?? "us-east-1", bucket: bucket, prefix: prefix,
                addressing: current?.s3?.addressing ?? .virtualHosted,
                credentialsProfile: current?.s3?.credentialsProfile, caBundle: current?.s3?.caBundle)
        } else if let existing = current?.s3 {
            s3 = existing
            if let endpoint { s3.endpoint = endpoint }
        } else if let current {
            guard isEmpty else {
                throw CLIFailure(
                    message: "--endpoint, --region and the addressing flags belong with an S3 profile", code: 64)
            }
            return current
        } else {
            throw CLIFailure(
                message: "say where to store: --local DIR or --s3 s3://BUCKET/PREFIX --endpoint URL", code: 64)
        }
        if let region { s3.region = region }
        if pathStyle { s3.addressing = .path }
        if virtualHosted { s3.addressing = .virtualHosted }
        if let credentialsProfile { s3.credentialsProfile = credentialsProfile.isEmpty ? nil : credentialsProfile }
        if let caBundle {
            if caBundle.isEmpty {
                s3.caBundle = nil
            } else {
                let absolute = URL(fileURLWithPath: caBundle).standardizedFileURL.path
                guard FileManager.default.isReadableFile(atPath: absolute) else {
                    throw CLIFailure(
                        message: "--ca-bundle \(caBundle): cannot read it; give the path of the CA's PEM file",
                        code: 64)
                }
                s3.caBundle = absolute
            }
        }
        return .s3(s3)
    }
}

extension ProfileLocation {
    var s3: S3Location? {
        if case .s3(let location) = self { return location }
        return nil
    }
}

/// `--chunk-size SIZE` as bytes (`nil` when not given); a usage error when it does not parse.
func chunkSizeOption(_ text: String?) throws -> Int? {
    guard let text else { return nil }
    do { return try ByteSize.parse(text) } catch { throw ValidationError("--chunk-size: \(error.description)") }
}

/// Runs `body`, turning a `ProfileValidationError` into a usage failure (exit 64) with its message.
func asUsageError<T>(_ body: () throws(ProfileValidationError) -> T) throws -> T {
    do { return try body() } catch { throw CLIFailure(message: error.description, code: 64) }
}
