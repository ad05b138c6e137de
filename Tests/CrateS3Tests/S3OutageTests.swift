import CrateS3
import CrateTestSupport
import Foundation
import Synchronization
import Testing

/// Outages that used to hang an import: a connection that swallows the request and never
/// answers, a response that stops half-way, a server killed mid-transfer, and cancelling
/// while a request hangs. Each must end — as a retry that succeeds, a failure the import keeps
/// for `--resume`, or a cancellation — and every wait here is bounded, so a hang fails the test.
@Suite struct S3OutageTests {
    /// Seconds without a byte moving before a request is given up (and retried): short, but
    /// not so short that moto, slow beside 280 other tests on two cores, trips it.
    static let idle: TimeInterval = 5
    /// Far above anything that does not hang.
    static let bound: TimeInterval = 240

    func setUp(_ label: String, maxAttempts: Int = 6) async throws -> (FaultProxy, RetryCounter, S3Client) {
        let proxy = try FaultProxy(upstream: try TestS3Server.endpoint())
        let counter = RetryCounter()
        let client = try S3Client(
            endpoint: proxy.endpoint, region: "us-east-1", bucket: TestS3Server.uniqueBucket(label), addressing: .path,
            credentials: TestS3Server.credentials, retryPolicy: counter.policy(maxAttempts: maxAttempts),
            timeout: Self.idle)
        try await client.createBucket()
        return (proxy, counter, client)
    }

    /// Runs `body`, failing the test if it has not ended within `bound` seconds.
    func bounded<T: Sendable>(_ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let watchdog = Task {
            try await Task.sleep(nanoseconds: UInt64(Self.bound * 1e9))
            Issue.record("\(what) hung for \(Int(Self.bound)) s")
            task.cancel()
        }
        defer { watchdog.cancel() }
        return try await task.value
    }

    @Test func aBlackHoledRequestTimesOutAndIsRetried() async throws {
        let (proxy, counter, client) = try await setUp("blackhole")
        let bytes = TestS3Server.pattern(200_000)
        for (fault, operation) in [("blackhole@PUT", "PUT"), ("blackhole@GET", "GET"), ("blackhole@HEAD", "HEAD")] {
            try await proxy.inject([fault])
            switch operation {
            case "PUT": try await bounded(fault) { try await client.putObject("k", bytes: bytes) }
            case "GET": #expect(try await bounded(fault) { try await client.getObject("k").bytes } == bytes)
            default: #expect(try await bounded(fault) { try await client.headObject("k")?.size } == 200_000)
            }
        }
        // Each black hole cost (at least) one time-out, and nothing else went wrong.
        #expect(counter.all.filter { $0.error == .timedOut(endpoint: proxy.endpoint) }.count >= 3)
        // At least one time-out; anything else retried is a kept-alive connection the proxy had
        // closed meanwhile.
        #expect(counter.all.contains { $0.error == .timedOut(endpoint: proxy.endpoint) }, "\(counter.all.map(\.error))")
        #expect(counter.all.allSatisfy { $0.error.isRetryable })
    }

    @Test func aServerThatStopsReadingABodyTimesOutAndIsRetried() async throws {
        let (proxy, counter, client) = try await setUp("noread")
        // Larger than the socket buffers, so the sender is left with bytes it cannot send.
        let bytes = TestS3Server.pattern(6 << 20, seed: 9)
        try await proxy.inject(["noread@PUT"])
        try await bounded("a PUT the server stopped reading") { try await client.putObject("k", bytes: bytes) }
        #expect(counter.count >= 1)
        // At least one time-out; anything else retried is a kept-alive connection the proxy had
        // closed meanwhile.
        #expect(counter.all.contains { $0.error == .timedOut(endpoint: proxy.endpoint) }, "\(counter.all.map(\.error))")
        #expect(counter.all.allSatisfy { $0.error.isRetryable })
        #expect(try await client.getObject("k").bytes == bytes)
    }

    @Test func aResponseStallingMidBodyTimesOutAndIsRetried() async throws {
        let (proxy, counter, client) = try await setUp("stall")
        let bytes = TestS3Server.pattern(3 << 20, seed: 3)
        try await client.putObject("k", bytes: bytes)
        try await proxy.inject(["stall@GET"])
        #expect(try await bounded("a stalled GET") { try await client.getObject("k").bytes } == bytes)
        #expect(counter.count >= 1)
        // At least one time-out; anything else retried is a kept-alive connection the proxy had
        // closed meanwhile.
        #expect(counter.all.contains { $0.error == .timedOut(endpoint: proxy.endpoint) }, "\(counter.all.map(\.error))")
        #expect(counter.all.allSatisfy { $0.error.isRetryable })
        #expect(try await proxy.stats().injected == 1)

        // A streamed read (export, cat) stalling mid-body is ended the same way and resumed
        // from the byte it reached.
        let before = counter.count
        try await proxy.inject(["stall@GET"])
        let streamed = try await bounded("a stalled streamed GET") { () async throws -> [UInt8] in
            let download = try await S3ObjectDownload.open(client, key: "k")
            var read: [UInt8] = []
            while case let piece = try await download.read(upTo: 256 << 10), !piece.isEmpty { read += piece }
            return read
        }
        #expect(streamed == bytes)
        #expect(counter.all.dropFirst(before).contains { $0.error == .timedOut(endpoint: proxy.endpoint) })
    }

    @Test func aServerKilledMidTransferEndsInAFailureWorthResuming() async throws {
        let (proxy, counter, client) = try await setUp("killed", maxAttempts: 3)
        let bytes = TestS3Server.pattern(1 << 20)
        try await client.putObject("before", bytes: bytes)
        // The next PUT hangs at the proxy; the server dies while it does.
        try await proxy.inject(["blackhole@PUT"])
        let upload = Task { try await client.putObject("during", bytes: bytes) }
        try await Task.sleep(nanoseconds: 300_000_000)
        proxy.kill()
        let error = await #expect(throws: S3Error.self) {
            try await bounded("an upload to a dead server") { try await upload.value }
        }
        // Kept connections break, new ones are refused: an outage, retried, then given up as
        // retryable (the import keeps its job for `crate import --resume`), not "wrong endpoint".
        #expect(error?.isRetryable == true, "\(String(describing: error))")
        #expect(counter.count >= 2)  // the attempts after the kill
    }

    @Test func cancellingEndsAHangingRequestAtOnce() async throws {
        let (proxy, _, client) = try await setUp("cancel")
        let bytes = TestS3Server.pattern(1 << 20)
        for (fault, streamed) in [("blackhole@PUT", false), ("stall@GET", false), ("stall@GET", true)] {
            try await client.putObject("k", bytes: bytes)
            try await proxy.inject([fault])
            let request = Task {
                if fault.hasSuffix("PUT") {
                    try await client.putObject("k", bytes: bytes)
                } else if streamed {
                    let download = try await S3ObjectDownload.open(client, key: "k")
                    while try await !download.read(upTo: 64 << 10).isEmpty {}
                } else {
                    _ = try await client.getObject("k")
                }
            }
            try await Task.sleep(nanoseconds: 500_000_000)
            let started = Date()
            request.cancel()
            // How long the pool took to start any task meanwhile: under the whole suite (child
            // processes on both cores) that, not the transport, is most of a slow cancel.
            let poolStart = Task { Date().timeIntervalSince(started) }
            let error = await #expect(throws: S3Error.self) { try await bounded(fault) { try await request.value } }
            #expect(error == .cancelled)
            print(
                "cancel of a hanging \(fault) ended after \(Date().timeIntervalSince(started)) s; "
                    + "a task started then ran after \(await poolStart.value) s")
        }
    }
}
