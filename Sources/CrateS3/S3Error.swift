/// Everything that can go wrong talking to an S3 server.
///
/// `description` is the message a user reads: it says what to fix. No case carries a secret
/// (credentials never reach an error). `isRetryable` is what `RetryPolicy` reads.
public enum S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// No credentials in the environment nor in the shared credentials file.
    case noCredentials(profile: String, file: String, reason: String)
    /// The endpoint is not a usable `http(s)://host[:port]` URL.
    case invalidEndpoint(String)
    /// The server does not know the access key id (`InvalidAccessKeyId`).
    case invalidAccessKeyId(endpoint: String)
    /// The signature did not match: almost always a wrong secret key (`SignatureDoesNotMatch`).
    case signatureDoesNotMatch(endpoint: String)
    /// The credentials are valid but not allowed to do this (`AccessDenied`, or a bare 403).
    case accessDenied(bucket: String, key: String?, message: String)
    /// The bucket does not exist at this endpoint (`NoSuchBucket`, or 404 on a bucket HEAD).
    case noSuchBucket(bucket: String, endpoint: String)
    /// No object under this key (`NoSuchKey`, or 404 on an object HEAD).
    case noSuchKey(bucket: String, key: String)
    /// A range that starts past the end of the object (416 `InvalidRange`).
    case invalidRange(bucket: String, key: String)
    /// The object was replaced while being read window by window (HTTP 412 on `If-Match`).
    case objectChanged(bucket: String, key: String)
    /// The server and this machine disagree on the time by more than 15 minutes.
    case requestTimeTooSkewed(endpoint: String)
    /// Nothing answered: connection refused, unknown host, no route. Not retried: a wrong
    /// endpoint does not fix itself.
    case unreachable(endpoint: String, reason: String)
    /// The request timed out.
    case timedOut(endpoint: String)
    /// The connection dropped before a whole response arrived.
    case connectionLost(endpoint: String, reason: String)
    /// The server is overloaded and asked us to slow down (429, 503 `SlowDown`).
    case throttled(status: Int, code: String)
    /// The server failed (5xx, or S3's 400 `RequestTimeout`).
    case serverError(status: Int, code: String, message: String)
    /// Any other refusal: a 4xx with an S3 error code we do not single out.
    case rejected(status: Int, code: String, message: String)
    /// A response we could not understand (malformed XML, missing header).
    case malformedResponse(String)
    /// The task was cancelled before the request finished.
    case cancelled
    /// The server's TLS certificate is not trusted (a private CA not given, an expired or
    /// mismatched certificate). Not retried.
    case untrustedCertificate(endpoint: String, host: String, reason: String)
    /// A CA bundle (`AWS_CA_BUNDLE`, a profile's `--ca-bundle`) cannot be used.
    case invalidCABundle(path: String, reason: String)

    /// Whether the same request may succeed if sent again.
    public var isRetryable: Bool {
        switch self {
        case .timedOut, .connectionLost, .throttled, .serverError: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .noCredentials(let profile, let file, let reason):
            "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add a [\(profile)] profile "
                + "to \(file) (\(reason))"
        case .invalidEndpoint(let endpoint):
            "\"\(endpoint)\" is not a valid S3 endpoint; use a URL such as https://s3.us-east-1.amazonaws.com"
        case .invalidAccessKeyId(let endpoint):
            "\(endpoint) does not know this access key id; check AWS_ACCESS_KEY_ID (or the credentials profile)"
        case .signatureDoesNotMatch(let endpoint):
            "\(endpoint) rejected the request signature; check AWS_SECRET_ACCESS_KEY (or the credentials profile)"
        case .accessDenied(let bucket, let key, let message):
            "access denied to \(key.map { "\"\($0)\" in " } ?? "")bucket \(bucket): \(message); "
                + "check that these credentials may use this bucket"
        case .noSuchBucket(let bucket, let endpoint):
            "bucket \(bucket) does not exist at \(endpoint); create it or fix the bucket name"
        case .noSuchKey(let bucket, let key):
            "object \"\(key)\" does not exist in bucket \(bucket)"
        case .invalidRange(let bucket, let key):
            "the requested range starts past the end of \"\(key)\" in bucket \(bucket)"
        case .objectChanged(let bucket, let key):
            "object \"\(key)\" in bucket \(bucket) changed while it was being read; read it again"
        case .requestTimeTooSkewed(let endpoint):
            "\(endpoint) refused the request because the clock is off; set this machine's time (e.g. enable NTP)"
        case .unreachable(let endpoint, let reason):
            "cannot reach \(endpoint) (\(reason)); check the endpoint URL and the network"
        case .timedOut(let endpoint):
            "\(endpoint) did not answer in time"
        case .connectionLost(let endpoint, let reason):
            "the connection to \(endpoint) dropped (\(reason))"
        case .throttled(let status, let code):
            "the server asked to slow down (HTTP \(status) \(code))"
        case .serverError(let status, let code, let message):
            "the server failed (HTTP \(status) \(code)\(message.isEmpty ? "" : ": " + message))"
        case .rejected(let status, let code, let message):
            "the server refused the request (HTTP \(status) \(code)\(message.isEmpty ? "" : ": " + message))"
        case .malformedResponse(let what):
            "unexpected response from the S3 server: \(what)"
        case .cancelled:
            "the S3 request was cancelled"
        case .untrustedCertificate(let endpoint, let host, let reason):
            "the TLS certificate of \(host) is not trusted (\(reason)); if \(endpoint) uses a private certificate "
                + "authority, give its PEM file with the profile's --ca-bundle FILE or AWS_CA_BUNDLE=FILE, "
                + "else check the endpoint's host name and the machine's clock"
        case .invalidCABundle(let path, let reason):
            "the CA bundle \(path) cannot be used (\(reason)); point --ca-bundle or AWS_CA_BUNDLE at a PEM file "
                + "of certificates, or unset it"
        }
    }
}
