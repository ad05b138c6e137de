import CrateS3
import CrateTestSupport
import Foundation
import Synchronization

/// The moto server `scripts/test` starts, and buckets of our own on it.
enum TestS3Server {
    static func endpoint() throws -> String { try MotoServer.endpoint() }

    static let credentials = S3Credentials(accessKeyId: "crate-test", secretAccessKey: "crate-test-secret")

    /// A bucket name no other test uses.
    static func uniqueBucket(_ label: String) -> String {
        "crate-\(label)-\(UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF_FFFF)"
    }

    /// A client on a new, empty bucket.
    static func client(
        _ label: String, endpoint: String? = nil, addressing: S3Client.Addressing = .path,
        retryPolicy: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(20)), maxConcurrentParts: Int = 4,
        timeout: TimeInterval = 30, createBucket: Bool = true
    ) async throws -> S3Client {
        let client = try S3Client(
            endpoint: endpoint ?? self.endpoint(), region: "us-east-1", bucket: uniqueBucket(label),
            addressing: addressing, credentials: credentials, retryPolicy: retryPolicy,
            maxConcurrentParts: maxConcurrentParts, timeout: timeout)
        if createBucket { try await client.createBucket() }
        return client
    }

    /// Deterministic bytes that differ at every offset modulo a prime, so misplaced windows show.
    static func pattern(_ count: Int, seed: Int = 0) -> [UInt8] {
        TestBytes.pattern(count, seed: seed)
    }
}

/// Counts retries a `RetryPolicy` reports, from any task.
final class RetryCounter: Sendable {
    private let events = Mutex<[RetryEvent]>([])

    var count: Int { events.withLock { $0.count } }
    var all: [RetryEvent] { events.withLock { $0 } }

    func record(_ event: RetryEvent) { events.withLock { $0.append(event) } }

    /// Errors retried for anything but what a loaded machine causes by itself — a time-out while
    /// moto serves the rest of the suite, a kept-alive connection the proxy had closed: what a
    /// test of "this is not retried" or "this needs no retry" counts.
    var besidesLoad: [S3Error] {
        all.map(\.error).filter {
            switch $0 {
            case .timedOut, .connectionLost: false
            default: true
            }
        }
    }

    /// A fast policy (no real waiting) that reports here.
    func policy(maxAttempts: Int = 6) -> RetryPolicy {
        RetryPolicy(
            maxAttempts: maxAttempts, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50),
            onRetry: { [self] in record($0) })
    }
}
