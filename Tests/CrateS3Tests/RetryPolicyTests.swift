import CrateS3
import Synchronization
import Testing

/// Backoff, jitter and the retry/permanent split, with injected sleep and randomness.
struct RetryPolicyTests {
    final class Recorder: Sendable {
        let sleeps = Mutex<[Duration]>([])
        let events = Mutex<[RetryEvent]>([])
    }

    func policy(_ recorder: Recorder, maxAttempts: Int = 6, random: Double = 1) -> RetryPolicy {
        RetryPolicy(
            maxAttempts: maxAttempts, baseDelay: .milliseconds(100), maxDelay: .seconds(1),
            sleep: { duration in recorder.sleeps.withLock { $0.append(duration) } },
            random: { random },
            onRetry: { event in recorder.events.withLock { $0.append(event) } })
    }

    @Test func backoffDoublesUpToTheCap() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(
            (1...6).map { policy.ceiling(afterAttempt: $0) } == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1),
            ])
    }

    @Test func retriesRetryableErrorsWithFullJitterUntilSuccess() async throws {
        let recorder = Recorder()
        let calls = Mutex(0)
        let result = try await policy(recorder, random: 0.5).run("PUT b/k") { () throws(S3Error) -> String in
            let call = calls.withLock {
                $0 += 1
                return $0
            }
            if call < 4 { throw .serverError(status: 503, code: "SlowDown", message: "") }
            return "done"
        }
        #expect(result == "done")
        #expect(recorder.sleeps.withLock { $0 } == [.milliseconds(50), .milliseconds(100), .milliseconds(200)])
        let events = recorder.events.withLock { $0 }
        #expect(events.map(\.attempt) == [1, 2, 3])
        #expect(events.allSatisfy { $0.operation == "PUT b/k" })
    }

    @Test func permanentErrorsAreThrownAtOnce() async {
        let recorder = Recorder()
        let calls = Mutex(0)
        await #expect(throws: S3Error.signatureDoesNotMatch(endpoint: "e")) {
            try await policy(recorder).run("GET") { () throws(S3Error) in
                calls.withLock { $0 += 1 }
                throw .signatureDoesNotMatch(endpoint: "e")
            }
        }
        #expect(calls.withLock { $0 } == 1)
        #expect(recorder.sleeps.withLock { $0 }.isEmpty)
    }

    @Test func givesUpAfterMaxAttempts() async {
        let recorder = Recorder()
        let calls = Mutex(0)
        await #expect(throws: S3Error.timedOut(endpoint: "e")) {
            try await policy(recorder, maxAttempts: 3).run("GET") { () throws(S3Error) in
                calls.withLock { $0 += 1 }
                throw .timedOut(endpoint: "e")
            }
        }
        #expect(calls.withLock { $0 } == 3)
        #expect(recorder.events.withLock { $0.count } == 2)
    }

    @Test func retryVerdicts() {
        let retryable: [S3Error] = [
            .serverError(status: 500, code: "InternalError", message: ""), .throttled(status: 503, code: "SlowDown"),
            .throttled(status: 429, code: "TooManyRequests"), .timedOut(endpoint: "e"),
            .connectionLost(endpoint: "e", reason: "reset"),
        ]
        let permanent: [S3Error] = [
            .accessDenied(bucket: "b", key: nil, message: "m"), .noSuchBucket(bucket: "b", endpoint: "e"),
            .noSuchKey(bucket: "b", key: "k"), .invalidAccessKeyId(endpoint: "e"),
            .signatureDoesNotMatch(endpoint: "e"), .requestTimeTooSkewed(endpoint: "e"),
            .unreachable(endpoint: "e", reason: "refused"),
            .rejected(status: 400, code: "InvalidArgument", message: ""),
            .cancelled,
        ]
        #expect(retryable.filter { !$0.isRetryable }.isEmpty)
        #expect(permanent.filter { $0.isRetryable }.isEmpty)
    }

    @Test func messagesSayWhatToFix() {
        #expect(S3Error.signatureDoesNotMatch(endpoint: "http://h").description.contains("check AWS_SECRET_ACCESS_KEY"))
        #expect(S3Error.invalidAccessKeyId(endpoint: "http://h").description.contains("check AWS_ACCESS_KEY_ID"))
        #expect(S3Error.requestTimeTooSkewed(endpoint: "http://h").description.contains("the clock is off"))
        #expect(
            S3Error.noSuchBucket(bucket: "b", endpoint: "http://h").description
                == "bucket b does not exist at http://h; create it or fix the bucket name")
        #expect(
            S3Error.unreachable(endpoint: "http://h", reason: "refused").description.hasPrefix("cannot reach http://h"))
    }
}
