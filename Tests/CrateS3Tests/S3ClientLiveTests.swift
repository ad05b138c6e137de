import CrateS3
import Foundation
import Testing

/// The client against the moto server (`scripts/test`).
struct S3ClientLiveTests {
    @Test func putGetRangeHeadDelete() async throws {
        let client = try await TestS3Server.client("basic")
        let bytes = TestS3Server.pattern(10_000)
        try await client.putObject("dir/file one.bin", bytes: bytes)

        #expect(try await client.getObject("dir/file one.bin").bytes == bytes)
        let window = try await client.getObject("dir/file one.bin", range: 100..<250)
        #expect(window.bytes == Array(bytes[100..<250]))
        #expect(window.objectSize == 10_000)
        let info = try #require(try await client.headObject("dir/file one.bin"))
        #expect(info.size == 10_000)

        try await client.deleteObject("dir/file one.bin")
        #expect(try await client.headObject("dir/file one.bin") == nil)
        try await client.deleteObject("dir/file one.bin")  // idempotent
        await #expect(throws: S3Error.noSuchKey(bucket: client.bucket, key: "dir/file one.bin")) {
            try await client.getObject("dir/file one.bin")
        }
    }

    @Test func streamedDownloadCrossesWindowsAndRanges() async throws {
        let client = try await TestS3Server.client("stream")
        let bytes = TestS3Server.pattern(3_000_000, seed: 7)
        try await client.putObject("big", bytes: bytes)

        let whole = try await S3ObjectDownload.open(client, key: "big")
        #expect(whole.objectSize == 3_000_000)
        #expect(try await readAll(whole, piece: 100_000) == bytes)

        let part = try await S3ObjectDownload.open(client, key: "big", range: 1_000..<2_500_000)
        #expect(try await readAll(part, piece: 333_333) == Array(bytes[1_000..<2_500_000]))

        let clipped = try await S3ObjectDownload.open(client, key: "big", range: 2_999_990..<4_000_000)
        #expect(try await readAll(clipped, piece: 1 << 20) == Array(bytes[2_999_990...]))

        let atEnd = try await S3ObjectDownload.open(client, key: "big", range: 3_000_000..<3_000_010)
        #expect(try await readAll(atEnd, piece: 10).isEmpty)
        await #expect(throws: S3Error.invalidRange(bucket: client.bucket, key: "big")) {
            try await S3ObjectDownload.open(client, key: "big", range: 3_000_001..<3_000_010)
        }
        await #expect(throws: S3Error.noSuchKey(bucket: client.bucket, key: "missing")) {
            try await S3ObjectDownload.open(client, key: "missing")
        }
    }

    @Test func emptyObject() async throws {
        let client = try await TestS3Server.client("empty")
        try await client.putObject("empty", bytes: [])
        #expect(try await client.headObject("empty")?.size == 0)
        let download = try await S3ObjectDownload.open(client, key: "empty")
        #expect(try await readAll(download, piece: 10).isEmpty)
    }

    @Test func listPagesThroughMoreThanAThousandObjects() async throws {
        let client = try await TestS3Server.client("list")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<1100 {
                if index >= 16 { try await group.next() }
                group.addTask { try await client.putObject("many/\(String(format: "%05d", index))", bytes: [1, 2, 3]) }
            }
            try await group.waitForAll()
        }
        try await client.putObject("other/x", bytes: [1])

        let first = try await client.listObjects(prefix: "many/")
        #expect(first.objects.count == 1000)
        #expect(first.continuationToken != nil)
        let all = try await client.listAllObjects(prefix: "many/")
        #expect(all.count == 1100)
        #expect(all.map(\.key) == (0..<1100).map { "many/\(String(format: "%05d", $0))" })
        #expect(all.allSatisfy { $0.size == 3 })
        #expect(try await client.listAllObjects(prefix: "").count == 1101)
    }

    @Test func multipartUploadOfThreeOrMoreParts() async throws {
        let client = try await TestS3Server.client("multipart")
        let bytes = TestS3Server.pattern(16 << 20, seed: 3)
        let partSize = S3Client.minimumPartSize
        var offset = partSize
        try await client.uploadMultipart("album.flac", firstPart: Array(bytes[0..<partSize])) {
            let end = min(bytes.count, offset + partSize)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
        #expect(try await client.headObject("album.flac")?.size == Int64(bytes.count))
        let download = try await S3ObjectDownload.open(client, key: "album.flac")
        #expect(try await readAll(download, piece: 1 << 20) == bytes)
        #expect(try await client.listMultipartUploads().isEmpty)
    }

    @Test func multipartUploadIsAbortedWhenReadingFails() async throws {
        struct SourceVanished: Error {}
        let client = try await TestS3Server.client("abort")
        var calls = 0
        await #expect(throws: SourceVanished.self) {
            try await client.uploadMultipart("torn", firstPart: TestS3Server.pattern(S3Client.minimumPartSize)) {
                calls += 1
                if calls == 2 { throw SourceVanished() }
                return TestS3Server.pattern(S3Client.minimumPartSize)
            }
        }
        #expect(try await client.listMultipartUploads().isEmpty)
        #expect(try await client.headObject("torn") == nil)
    }

    @Test func missingBucketSaysWhatToDo() async throws {
        let client = try await TestS3Server.client("missing", createBucket: false)
        let expected = S3Error.noSuchBucket(bucket: client.bucket, endpoint: client.endpoint)
        #expect(try await client.bucketExists() == false)
        await #expect(throws: expected) { try await client.checkBucket() }
        await #expect(throws: expected) { try await client.putObject("k", bytes: [1]) }
        await #expect(throws: expected) { try await client.headObject("k") }
        await #expect(throws: expected) { try await client.listObjects(prefix: "") }
        #expect(
            expected.description
                == "bucket \(client.bucket) does not exist at \(client.endpoint); create it or fix the bucket name")
    }

    private func readAll(_ download: S3ObjectDownload, piece: Int) async throws -> [UInt8] {
        var result: [UInt8] = []
        while true {
            let bytes = try await download.read(upTo: piece)
            if bytes.isEmpty { return result }
            #expect(bytes.count <= piece)
            result += bytes
        }
    }
}
