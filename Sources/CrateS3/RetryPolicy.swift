/// Exponential backoff with full jitter and a bounded number of attempts.
///
/// Attempt `n` (from 1) that fails with a retryable `S3Error` waits a random time in
/// `0...min(maxDelay, baseDelay × 2^(n-1))` ("full jitter": clients that failed together do
/// not retry together), then tries again, up to `maxAttempts` in all. Permanent errors are
/// thrown at once. `sleep` and `random` are injectable so tests run instantly and
/// deterministically; `onRetry` lets progress reporting show retries as they happen.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// Waits; the default is `Task.sleep`, which ends early (throwing) on cancellation.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// A uniform random number in `0...1`.
    public var random: @Sendable () -> Double
    /// Called before each wait.
    public var onRetry: @Sendable (RetryEvent) -> Void

    public init(
        maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        onRetry: @escaping @Sendable (RetryEvent) -> Void = { _ in }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
        self.random = random
        self.onRetry = onRetry
    }

    /// A policy that never retries.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt `attempt` (from 1), before jitter is applied.
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        let factor = Double(1 << min(attempt - 1, 30))
        let scaled = baseDelay * factor
        return scaled < maxDelay ? scaled : maxDelay
    }

    /// Reports failed attempt `attempt` (from 1) and waits before the next one.
    public func backOff(after attempt: Int, operation: String, error: S3Error) async throws(S3Error) {
        let delay = ceiling(afterAttempt: attempt) * min(1, max(0, random()))
        onRetry(
            RetryEvent(operation: operation, attempt: attempt, maxAttempts: maxAttempts, delay: delay, error: error))
        do {
            try await sleep(delay)
        } catch {
            throw S3Error.cancelled
        }
    }

    /// Runs `body` until it succeeds, fails permanently, or runs out of attempts.
    public func run<T>(_ operation: String, _ body: () async throws(S3Error) -> T) async throws(S3Error) -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch {
                guard error.isRetryable, attempt < maxAttempts else { throw error }
                try await backOff(after: attempt, operation: operation, error: error)
                attempt += 1
            }
        }
    }
}
