extension S3Error {
    /// The error for a failed response: by S3 error code first (the body's `<Code>`), then by
    /// HTTP status for bodiless answers (HEAD) and codes we do not single out.
    /// - Parameter key: the object the request was about; `nil` for bucket-level requests, where
    ///   a bare 404 means the bucket is missing.
    static func classify(
        status: Int, code: String, message: String, bucket: String, key: String?, endpoint: String
    ) -> S3Error {
        switch code {
        case "InvalidAccessKeyId": return .invalidAccessKeyId(endpoint: endpoint)
        case "SignatureDoesNotMatch": return .signatureDoesNotMatch(endpoint: endpoint)
        case "RequestTimeTooSkewed": return .requestTimeTooSkewed(endpoint: endpoint)
        case "NoSuchBucket": return .noSuchBucket(bucket: bucket, endpoint: endpoint)
        case "NoSuchKey": return .noSuchKey(bucket: bucket, key: key ?? "")
        case "AccessDenied", "AllAccessDisabled":
            return .accessDenied(bucket: bucket, key: key, message: message.isEmpty ? code : message)
        case "InvalidRange": return .invalidRange(bucket: bucket, key: key ?? "")
        case "PreconditionFailed" where key != nil: return .objectChanged(bucket: bucket, key: key ?? "")
        case "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests":
            return .throttled(status: status, code: code)
        case "RequestTimeout", "InternalError", "ServiceUnavailable":
            return .serverError(status: status, code: code, message: message)
        default: break
        }
        switch status {
        case 429: return .throttled(status: status, code: code.isEmpty ? "TooManyRequests" : code)
        case 500...599: return .serverError(status: status, code: code, message: message)
        case 403: return .accessDenied(bucket: bucket, key: key, message: message.isEmpty ? "HTTP 403" : message)
        case 404 where key == nil: return .noSuchBucket(bucket: bucket, endpoint: endpoint)
        case 404 where code.isEmpty: return .noSuchKey(bucket: bucket, key: key ?? "")
        case 416: return .invalidRange(bucket: bucket, key: key ?? "")
        case 412 where key != nil: return .objectChanged(bucket: bucket, key: key ?? "")
        default: return .rejected(status: status, code: code, message: message)
        }
    }
}
