import Testing

@testable import CrateS3

/// How error responses map to `S3Error`, without a server.
struct S3ErrorClassificationTests {
    func classify(_ status: Int, _ code: String = "", key: String? = "k") -> S3Error {
        S3Error.classify(status: status, code: code, message: "", bucket: "b", key: key, endpoint: "http://e")
    }

    @Test func byCode() {
        #expect(classify(403, "InvalidAccessKeyId") == .invalidAccessKeyId(endpoint: "http://e"))
        #expect(classify(403, "SignatureDoesNotMatch") == .signatureDoesNotMatch(endpoint: "http://e"))
        #expect(classify(403, "RequestTimeTooSkewed") == .requestTimeTooSkewed(endpoint: "http://e"))
        #expect(classify(403, "AccessDenied") == .accessDenied(bucket: "b", key: "k", message: "AccessDenied"))
        #expect(classify(404, "NoSuchBucket") == .noSuchBucket(bucket: "b", endpoint: "http://e"))
        #expect(classify(404, "NoSuchKey") == .noSuchKey(bucket: "b", key: "k"))
        #expect(classify(416, "InvalidRange") == .invalidRange(bucket: "b", key: "k"))
        #expect(classify(503, "SlowDown") == .throttled(status: 503, code: "SlowDown"))
        #expect(classify(400, "RequestTimeout").isRetryable)
        #expect(classify(400, "InvalidArgument") == .rejected(status: 400, code: "InvalidArgument", message: ""))
    }

    @Test func byStatusWhenThereIsNoBody() {
        #expect(classify(404) == .noSuchKey(bucket: "b", key: "k"))
        #expect(classify(404, key: nil) == .noSuchBucket(bucket: "b", endpoint: "http://e"))
        #expect(classify(403) == .accessDenied(bucket: "b", key: "k", message: "HTTP 403"))
        #expect(classify(429) == .throttled(status: 429, code: "TooManyRequests"))
        #expect(classify(502).isRetryable)
        #expect(classify(412) == .objectChanged(bucket: "b", key: "k"))
        #expect(!classify(412).isRetryable)
    }
}
