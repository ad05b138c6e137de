import CrateCatalog
import CrateCore
import CrateImporter
import CrateS3
import CrateTestSupport
import Foundation
import Testing

/// An import onto S3 through a proxy that injects 5xx, SlowDown and dropped connections:
/// the import completes through retries, the retries show in the event stream, nothing is lost.
@Suite struct ImportThroughFaultsTests {
    @Test func completesThroughTransientFaultsAndReportsRetries() async throws {
        let (harness, proxy) = try await Self.profileBehindProxy("flaky", encrypted: true, chunked: true)

        // Three faults in a row at most hit one request three times: well inside its six attempts
        // even if a loaded machine adds a time-out.
        try await proxy.inject(["503", "slowdown", "drop"])
        let (outcome, events) = try await harness.importFolder(Fixtures.album, profile: "flaky")
        let id = try #require(outcome.releaseId, "\(outcome)")
        let retries = events.filter { if case .retry = $0 { true } else { false } }
        #expect(retries.count >= 3, "retries seen: \(retries.count)")
        #expect(try await proxy.stats().injected == 3)
        #expect(
            try await harness.exportHashes(release: id, profile: "flaky")
                == (try ImportHarness.hashes(of: Fixtures.album)))
    }

    @Test func aPermanentErrorFailsTheJobAtOnceWithItsMessage() async throws {
        let (harness, proxy) = try await Self.profileBehindProxy("denied", encrypted: false, chunked: false)
        try await proxy.inject(Array(repeating: "403", count: 3))
        let (outcome, events) = try await harness.importFolder(Fixtures.album, profile: "denied")
        guard case .failed(let message) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(message.lowercased().contains("access denied") || message.contains("403"), "\(message)")
        #expect(!events.contains { if case .retry = $0 { true } else { false } })
        #expect(try harness.catalog.releases().isEmpty)
    }

    /// Storage that keeps failing past every retry (an outage, a lost connection) stops the
    /// import but keeps the job; once the storage answers again it resumes and commits.
    @Test func anOutageOutlastingTheRetriesKeepsTheJobForResume() async throws {
        let (harness, proxy) = try await Self.profileBehindProxy("outage", encrypted: true, chunked: true)
        try await proxy.inject(Array(repeating: "503", count: 60))
        let (outcome, _) = try await harness.importFolder(Fixtures.album, profile: "outage")
        guard case .interrupted(let message) = outcome else {
            Issue.record("expected the outage to stop the import, got \(outcome)")
            return
        }
        #expect(message.contains("run `crate import --resume` once the storage answers again"), "\(message)")
        let job = try #require(try harness.catalog.unfinishedJobs().first)
        #expect(try harness.catalog.releases().isEmpty)

        try await proxy.inject([])
        let resumed = await harness.importer.run(jobId: job.id) { _ in }
        let id = try #require(resumed.releaseId, "\(resumed)")
        #expect(try harness.catalog.unfinishedJobs().isEmpty)
        #expect(
            try await harness.exportHashes(release: id, profile: "outage")
                == (try ImportHarness.hashes(of: Fixtures.album)))
    }

    /// A catalog with one default S3 profile whose endpoint is a fault proxy in front of moto.
    static func profileBehindProxy(_ name: String, encrypted: Bool, chunked: Bool) async throws -> (
        ImportHarness, FaultProxy
    ) {
        let harness = try ImportHarness()
        let moto = try MotoServer.endpoint()
        let proxy = try FaultProxy(upstream: moto)
        let bucket = "crate-\(name)-\(UInt32.random(in: 0...UInt32.max))"
        try await S3Client(
            endpoint: moto, region: "us-east-1", bucket: bucket, addressing: .path,
            credentials: ImportHarness.s3Credentials
        ).createBucket()
        let spec = ProfileSpec(
            name: name, location: .s3(.init(endpoint: proxy.endpoint, region: "us-east-1", bucket: bucket)),
            encrypted: encrypted, chunked: chunked, chunkSize: chunked ? 256 << 10 : nil)
        _ = try await ProfileSetup(catalog: harness.catalog, opener: harness.opener, scrypt: { .forTesting() })
            .create(
                spec, makeDefault: true, newPassphrase: { ImportHarness.passphrase },
                existingPassphrase: { ImportHarness.passphrase })
        return (harness, proxy)
    }
}
