import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small S3 client bound to one bucket, on Foundation's `URLSession` (libcurl on Linux).
///
/// Every request is signed with SigV4 (payload hash included) and sent through the
/// `RetryPolicy`, re-signed on each attempt so a late retry does not carry a stale date.
/// Object, multipart and bucket operations live in `S3Client+Objects.swift`,
/// `S3Client+Multipart.swift` and `S3Client+Bucket.swift`; streamed reads in `S3ObjectDownload`.
public final class S3Client: Sendable {
    /// How requests name the bucket.
    public enum Addressing: String, Sendable {
        /// `http://host/bucket/key`: works with any host name, including IP addresses.
        case path
        /// `http://bucket.host/key`: AWS's default; needs DNS for `bucket.host`. An endpoint whose
        /// host is an IP address falls back to `path`.
        case virtualHosted
    }

    public let endpoint: String
    public let region: String
    public let bucket: String
    public let addressing: Addressing
    public let retryPolicy: RetryPolicy
    /// Multipart parts one upload keeps in flight, at most.
    public let maxConcurrentParts: Int
    /// Bytes of request bodies all uploads together may hold (see `UploadBudget`).
    public let uploadBudget: UploadBudget
    let signer: SigV4Signer
    let session: URLSession
    /// Set once the bucket is known to exist, so a HEAD that misses need not check it again.
    let bucketConfirmed = Mutex(false)
    private let scheme: String
    private let hostAndPort: String

    /// - Parameters:
    ///   - endpoint: `http(s)://host[:port]`, e.g. `https://s3.eu-west-1.amazonaws.com`.
    ///   - timeout: seconds a request may stay silent before it fails (and is retried).
    ///   - uploadBudget: bytes of request bodies held at once by all uploads; by default
    ///     `maxConcurrentParts` parts of `S3Store`'s 8 MiB.
    /// - Throws: `S3Error.invalidEndpoint` when `endpoint` is not such a URL.
    public init(
        endpoint: String, region: String, bucket: String, addressing: Addressing = .path,
        credentials: S3Credentials, retryPolicy: RetryPolicy = RetryPolicy(), maxConcurrentParts: Int = 4,
        timeout: TimeInterval = 60, uploadBudget: Int? = nil
    ) throws(S3Error) {
        var trimmed = endpoint
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.path.isEmpty, components.query == nil
        else { throw .invalidEndpoint(endpoint) }
        self.endpoint = trimmed
        self.region = region
        self.bucket = bucket
        // `bucket.192.0.2.1` names nothing: an IP-literal endpoint can only be addressed by path.
        self.addressing = Self.isIPLiteral(host) ? .path : addressing
        self.retryPolicy = retryPolicy
        self.maxConcurrentParts = max(1, maxConcurrentParts)
        self.uploadBudget = UploadBudget(limit: uploadBudget ?? self.maxConcurrentParts * (8 << 20))
        self.signer = SigV4Signer(credentials: credentials, region: region)
        self.scheme = scheme
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host  // IPv6 literal
        self.hostAndPort = components.port.map { "\(bracketed):\($0)" } ?? bracketed
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpMaximumConnectionsPerHost = max(8, maxConcurrentParts * 2)
        self.session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    private static func isIPLiteral(_ host: String) -> Bool {
        if host.contains(":") || host.hasPrefix("[") { return true }  // IPv6
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Where a request for `key` (or the bucket itself, for `nil`) goes: host header and unencoded path.
    public func target(key: String?) -> (host: String, path: String) {
        switch addressing {
        case .path:
            return (hostAndPort, "/\(bucket)" + (key.map { "/\($0)" } ?? ""))
        case .virtualHosted:
            return ("\(bucket).\(hostAndPort)", "/" + (key ?? ""))
        }
    }

    /// The full URL of a request, with the path encoded exactly as it is signed.
    public func url(key: String?, query: [(String, String?)] = []) -> URL {
        let (host, path) = target(key: key)
        var text = "\(scheme)://\(host)\(AWSURIEncoding.encodePath(path))"
        if !query.isEmpty {
            text +=
                "?"
                + query.map { name, value in
                    AWSURIEncoding.encode(name) + (value.map { "=" + AWSURIEncoding.encode($0) } ?? "")
                }.joined(separator: "&")
        }
        return URL(string: text)!
    }

    /// A response whose status was 2xx (or 3xx/4xx the caller asked to see; see `accepting`).
    struct Response: Sendable {
        var status: Int
        /// Header names lower-cased.
        var headers: [String: String]
        var body: Data
    }

    /// Sends one request through the retry policy and maps failures to `S3Error`.
    /// - Parameter accepting: statuses returned as responses rather than thrown (e.g. 404 for HEAD).
    func send(
        _ method: String, key: String?, query: [(String, String?)] = [], headers: [String: String] = [:],
        body: Data? = nil, accepting: Set<Int> = [], operation: String
    ) async throws(S3Error) -> Response {
        let payloadHash = body.map { SigV4Signer.payloadHash($0) } ?? SigV4Signer.emptyPayloadHash
        return try await retryPolicy.run(operation) { () async throws(S3Error) -> Response in
            try await attempt(
                method, key: key, query: query, headers: headers, body: body, payloadHash: payloadHash,
                accepting: accepting)
        }
    }

    private func attempt(
        _ method: String, key: String?, query: [(String, String?)], headers: [String: String], body: Data?,
        payloadHash: String, accepting: Set<Int>
    ) async throws(S3Error) -> Response {
        if Task.isCancelled { throw .cancelled }
        let (host, path) = target(key: key)
        var toSign = headers
        toSign["host"] = host
        let signature = signer.sign(
            method: method, path: path, query: query, headers: toSign, payloadHash: payloadHash, date: Date())
        var request = URLRequest(url: url(key: key, query: query))
        request.httpMethod = method
        for (name, value) in signature.headers where name != "host" {
            request.setValue(value, forHTTPHeaderField: name)
        }
        // One connection per request. When libcurl reuses a keep-alive connection the server has
        // meanwhile closed, it retries on a fresh one and asks to rewind the body, and
        // FoundationNetworking then stalls until the timeout (60 s lost per occurrence); an
        // `httpBodyStream` avoids the stall but makes curl send `Transfer-Encoding: chunked`,
        // which S3 refuses. Measured with Tests/Support/fault_proxy.py; see docs/s3.md.
        request.setValue("close", forHTTPHeaderField: "Connection")
        if let body {
            request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
        }
        let data: Data
        let urlResponse: URLResponse
        do {
            (data, urlResponse) = try await session.data(for: request)
        } catch {
            throw transportError(error)
        }
        guard let http = urlResponse as? HTTPURLResponse else {
            throw .malformedResponse("not an HTTP response")
        }
        var responseHeaders: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { responseHeaders[name.lowercased()] = value }
        }
        let response = Response(status: http.statusCode, headers: responseHeaders, body: data)
        if (200..<300).contains(response.status) || accepting.contains(response.status) { return response }
        throw httpError(response, key: key)
    }

    /// Maps a failed HTTP response (with or without an XML error body) to `S3Error`.
    func httpError(_ response: Response, key: String?) -> S3Error {
        let xml = S3XMLNode.parse(response.body)
        let code = xml?.text(of: "Code") ?? ""
        let message = xml?.text(of: "Message") ?? ""
        return S3Error.classify(
            status: response.status, code: code, message: message, bucket: bucket, key: key, endpoint: endpoint)
    }

    /// Maps a `URLSession` failure (no HTTP response) to `S3Error`.
    func transportError(_ error: any Error) -> S3Error {
        if error is CancellationError { return .cancelled }
        guard let urlError = error as? URLError else {
            return .connectionLost(endpoint: endpoint, reason: String(describing: error))
        }
        let reason = urlError.localizedDescription
        switch urlError.code {
        case .cancelled: return .cancelled
        case .timedOut: return .timedOut(endpoint: endpoint)
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet, .badURL,
            .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid:
            return .unreachable(endpoint: endpoint, reason: reason)
        default: return .connectionLost(endpoint: endpoint, reason: reason)
        }
    }
}
