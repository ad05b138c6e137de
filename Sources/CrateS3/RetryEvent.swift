/// One retry about to happen, for progress reporting.
public struct RetryEvent: Sendable {
    /// What was being done, e.g. "PUT bucket/key part 3".
    public var operation: String
    /// The attempt that failed, counting from 1.
    public var attempt: Int
    /// Attempts the policy makes in all.
    public var maxAttempts: Int
    /// How long we wait before the next attempt.
    public var delay: Duration
    /// Why the attempt failed.
    public var error: S3Error
}
