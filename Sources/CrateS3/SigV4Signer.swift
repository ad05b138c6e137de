import Crypto
import Foundation

/// Signs S3 requests with AWS Signature Version 4, header-based ("Authorization: AWS4-HMAC-SHA256 ...").
///
/// The payload: callers pass the SHA-256 of the body as `payloadHash`, sent as
/// `x-amz-content-sha256`, or `unsignedPayload`. `S3Client` signs bodies it sends over plain
/// HTTP, where nothing else protects them on the way, and sends `UNSIGNED-PAYLOAD` over HTTPS,
/// as S3 allows and rclone does: TLS already detects any change in transit, and hashing every
/// body once more was a third of an upload's SHA-256 work (file hash, chunk id, payload hash;
/// see docs/benchmarks.md).
public struct SigV4Signer: Sendable {
    /// The value of `x-amz-content-sha256` for a body that is not hashed (see the type's note).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// SHA-256 of the empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public var credentials: S3Credentials
    public var region: String
    public var service: String

    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The pieces of one signature, exposed so tests can compare each against AWS's examples.
    public struct Signature: Sendable, Equatable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        public var signedHeaders: String
        /// The `Authorization` header value.
        public var authorization: String
        /// Every header to send: the caller's, plus `x-amz-date`, `x-amz-content-sha256`,
        /// `x-amz-security-token` (with a session token) and `Authorization`.
        public var headers: [String: String]
    }

    /// Signs a request.
    /// - Parameters:
    ///   - path: the absolute path, *not* encoded (`/bucket/a b.flac`); each segment is encoded here.
    ///   - query: parameter names and values, not encoded; a `nil` value is a bare name (`?uploads`).
    ///   - headers: headers to sign, including `host`; names in any case.
    ///   - payloadHash: lower-case hex SHA-256 of the body, or `unsignedPayload`.
    public func sign(
        method: String, path: String, query: [(String, String?)] = [], headers: [String: String],
        payloadHash: String, date: Date
    ) -> Signature {
        let timestamp = Self.timestamp(date)
        let day = String(timestamp.prefix(8))
        var allHeaders: [String: String] = [:]
        for (name, value) in headers { allHeaders[name.lowercased()] = value }
        allHeaders["x-amz-date"] = timestamp
        allHeaders["x-amz-content-sha256"] = payloadHash
        if let token = credentials.sessionToken { allHeaders["x-amz-security-token"] = token }

        let names = allHeaders.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let canonicalHeaders = names.map { "\($0):\(Self.normalizeHeaderValue(allHeaders[$0]!))\n" }.joined()
        let canonicalRequest = [
            method,
            AWSURIEncoding.encodePath(path),
            Self.canonicalQuery(query),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")

        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope),"
            + "SignedHeaders=\(signedHeaders),Signature=\(signature)"
        var sent = allHeaders
        sent["authorization"] = authorization
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            signedHeaders: signedHeaders, authorization: authorization, headers: sent)
    }

    /// The canonical (and sent) query string: names and values encoded, sorted by name then value.
    public static func canonicalQuery(_ query: [(String, String?)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { pair in
            (AWSURIEncoding.encode(pair.0), AWSURIEncoding.encode(pair.1 ?? ""))
        }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// Lower-case hex SHA-256 of `bytes`: the signed payload hash.
    public static func payloadHash<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    public static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let day: String = pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2)
        let time: String = pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2)
        return day + "T" + time + "Z"
    }

    /// Trims a header value and collapses inner runs of spaces, as the canonical form requires.
    static func normalizeHeaderValue(_ value: String) -> String {
        var result = ""
        var lastWasSpace = false
        for character in value.trimmingCharacters(in: .whitespaces) {
            if character == " " {
                if !lastWasSpace { result.append(character) }
                lastWasSpace = true
            } else {
                result.append(character)
                lastWasSpace = false
            }
        }
        return result
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
