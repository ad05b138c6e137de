import CrateCore
import CrateS3
import CrateStorage
import CrateTestSupport
import Foundation
import Testing

/// Whole files of a release upload to S3 side by side (the writer's file window); the client's
/// upload budget must still bound the request bodies held at once, whatever the number of files.
struct S3WholeFileBudgetTests {
    @Test func wholeFilesUploadTogetherWithinTheClientsBudget() async throws {
        let budget = 12 << 20
        let client = try S3Client(
            endpoint: try MotoServer.endpoint(), region: "us-east-1",
            bucket: "crate-budget-\(UInt32.random(in: 0...UInt32.max))",
            credentials: S3Credentials(accessKeyId: "crate-test", secretAccessKey: "secret"),
            retryPolicy: RetryPolicy(baseDelay: .milliseconds(10)), uploadBudget: budget)
        try await client.createBucket()
        let store = S3Store(client: client, prefix: "p", partSize: 5 << 20)
        let spec = ProfileSpec(name: "s3-files", location: .local(path: "/unused"), encrypted: false, chunked: false)
        let stack = try StorageStack.make(spec: spec, dataKey: nil, store: store)
        let release = ReleaseInfo(id: "b0d9", artist: "Don Cherry", title: "Mu", year: 1969)
        // Four files of three parts each, then small ones that go up in one PUT each.
        let sizes = [11 << 20 + 5, 11 << 20 + 77, 10 << 20 + 1, 12 << 20] + Array(repeating: 100_000, count: 6)
        let files = sizes.enumerated().map { index, size in
            (path: String(format: "%02d.flac", index), bytes: testBytes(count: size, seed: UInt64(index)))
        }
        let writer = try stack.makeWriter(release: release)
        for file in files {
            try await writer.writeFile(path: file.path, size: Int64(file.bytes.count), body: BytesReader(file.bytes))
        }
        _ = try await writer.finish()

        let peak = client.uploadBudget.peakInUse
        #expect(peak <= budget, "bodies held at once: \(peak) bytes")
        #expect(peak > 5 << 20, "uploads should overlap (peak \(peak) bytes)")
        let stored = try await stack.openRelease(id: release.id)
        for file in files { #expect(try await stored.readFile(file.path).readAll() == file.bytes) }
        #expect(try await client.listMultipartUploads().isEmpty)
    }
}
