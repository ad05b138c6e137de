import Foundation

/// An AWS access key pair (and optional session token).
///
/// Resolved at run time from the environment or `~/.aws/credentials`, never stored by Crate
/// (docs/s3.md). `description` and `debugDescription` redact the secret and the token, so a
/// credential printed by accident, interpolated into a message or dumped by a test failure
/// shows only the access key id.
public struct S3Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String {
        "S3Credentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>"
            + (sessionToken == nil ? ")" : ", sessionToken: <redacted>)")
    }

    public var debugDescription: String { description }

    /// Finds credentials the way the AWS CLI does, in this order:
    /// 1. `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (plus `AWS_SESSION_TOKEN` if set) —
    ///    unless an explicit `profile` is given, which wins over the environment's keys;
    /// 2. the profile `profile`, else `AWS_PROFILE`, else `default`, in the shared credentials
    ///    file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`).
    /// - Throws: `S3Error.noCredentials` naming what was looked at.
    public static func resolve(
        profile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(S3Error) -> S3Credentials {
        if profile == nil, let key = nonEmpty(environment["AWS_ACCESS_KEY_ID"]),
            let secret = nonEmpty(environment["AWS_SECRET_ACCESS_KEY"])
        {
            return S3Credentials(
                accessKeyId: key, secretAccessKey: secret, sessionToken: nonEmpty(environment["AWS_SESSION_TOKEN"]))
        }
        let name = profile ?? nonEmpty(environment["AWS_PROFILE"]) ?? "default"
        let path = credentialsFilePath(environment: environment)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .noCredentials(profile: name, file: path, reason: "the file does not exist or cannot be read")
        }
        guard let section = parseINI(text)[name] else {
            throw .noCredentials(profile: name, file: path, reason: "it has no [\(name)] section")
        }
        guard let key = nonEmpty(section["aws_access_key_id"]), let secret = nonEmpty(section["aws_secret_access_key"])
        else {
            throw .noCredentials(
                profile: name, file: path, reason: "[\(name)] lacks aws_access_key_id or aws_secret_access_key")
        }
        return S3Credentials(
            accessKeyId: key, secretAccessKey: secret, sessionToken: nonEmpty(section["aws_session_token"]))
    }

    /// `AWS_SHARED_CREDENTIALS_FILE`, else `$HOME/.aws/credentials`.
    public static func credentialsFilePath(environment: [String: String]) -> String {
        if let path = nonEmpty(environment["AWS_SHARED_CREDENTIALS_FILE"]) {
            return path.hasPrefix("~/") ? home(environment) + path.dropFirst(1) : path
        }
        return home(environment) + "/.aws/credentials"
    }

    /// Parses INI text into sections of lower-cased keys. `#` and `;` start comment lines;
    /// keys before any section are ignored; later duplicates win.
    static func parseINI(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                var name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                // ~/.aws/config spells sections "[profile NAME]"; accept it here too.
                if name.hasPrefix("profile ") { name = String(name.dropFirst(8)).trimmingCharacters(in: .whitespaces) }
                current = name
                sections[name, default: [:]] = sections[name, default: [:]]
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section]?[key] = value
        }
        return sections
    }

    private static func home(_ environment: [String: String]) -> String {
        nonEmpty(environment["HOME"]) ?? NSHomeDirectory()
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
