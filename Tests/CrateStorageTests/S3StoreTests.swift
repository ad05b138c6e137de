import CrateCore
import CrateS3
import CrateStorage
import CrateTestSupport
import Foundation
import Synchronization
import Testing

/// `S3Store` against the moto server (`scripts/test`): the contract points S3 makes special
/// (streaming multipart put, windowed get, prefix handling, error mapping).
struct S3StoreTests {
    /// A store on a new bucket, under a key prefix, with S3's smallest part size to keep data small.
    /// A store on a new bucket of the plain-HTTP moto, or (`tls`) of the HTTPS one, whose
    /// private CA the location names as a profile would (`--ca-bundle`).
    func makeStore(createBucket: Bool = true, tls: Bool = false) async throws -> S3Store {
        let endpoint = tls ? try MotoServer.tlsEndpoint() : try MotoServer.endpoint()
        let location = S3Location(
            endpoint: endpoint, region: "us-east-1",
            bucket: "crate-store-\(UInt32.random(in: 0...UInt32.max))", prefix: "profile/a", addressing: .path,
            caBundle: tls ? try MotoServer.caBundle() : nil)
        let base = try S3Store(
            location: location, credentials: S3Credentials(accessKeyId: "crate-test", secretAccessKey: "secret"),
            retryPolicy: RetryPolicy(baseDelay: .milliseconds(10)))
        if createBucket { try await base.client.createBucket() }
        return S3Store(client: base.client, prefix: location.prefix, partSize: 5 << 20)
    }

    static func pattern(_ count: Int) -> [UInt8] { TestBytes.pattern(count, multiplier: 7) }

    @Test func smallObjectRoundTripUnderThePrefix() async throws {
        let store = try await makeStore()
        try await store.put("manifests/r1", bytes: Array("hello".utf8))
        #expect(try await store.getAll("manifests/r1") == Array("hello".utf8))
        #expect(try await store.head("manifests/r1") == ObjectInfo(key: "manifests/r1", size: 5))
        #expect(try await store.client.headObject("profile/a/manifests/r1")?.size == 5)
        #expect(try await store.list(prefix: "") == [ObjectInfo(key: "manifests/r1", size: 5)])
        try await store.delete("manifests/r1")
        try await store.delete("manifests/r1")
        #expect(try await store.head("manifests/r1") == nil)
    }

    @Test func largeObjectIsStreamedAsMultipartAndReadBackInRanges() async throws {
        let store = try await makeStore()
        let bytes = Self.pattern(11 << 20 + 123)
        try await store.put("objects/ab/cd/big", body: BytesReader(bytes), size: nil)
        #expect(try await store.head("objects/ab/cd/big")?.size == Int64(bytes.count))
        #expect(try await store.getAll("objects/ab/cd/big") == bytes)
        let ranged = try await store.get("objects/ab/cd/big", range: 3_000_000..<7_654_321).readAll()
        #expect(ranged == Array(bytes[3_000_000..<7_654_321]))
        let clipped = try await store.get("objects/ab/cd/big", range: Int64(bytes.count - 10)..<Int64.max).readAll()
        #expect(clipped == Array(bytes[(bytes.count - 10)...]))
        #expect(try await store.get("objects/ab/cd/big", range: 5..<5).readAll().isEmpty)
        #expect(try await store.client.listMultipartUploads().isEmpty)
    }

    @Test func listIsSortedAndFilteredByPrefix() async throws {
        let store = try await makeStore()
        for key in ["b/2", "a/1", "b/1", "c"] { try await store.put(key, bytes: [1, 2]) }
        #expect(try await store.list(prefix: "b/").map(\.key) == ["b/1", "b/2"])
        #expect(try await store.list(prefix: "").map(\.key) == ["a/1", "b/1", "b/2", "c"])
    }

    /// An endpoint nobody answers on (a server killed mid-batch): the storage engine sees a
    /// store that stopped answering — retryable, so the import stays resumable — and the
    /// message still says what to check.
    @Test func anEndpointThatRefusesIsAStoreThatStoppedAnswering() async throws {
        // Port 9 (discard): nothing listens on it here.
        let location = S3Location(
            endpoint: "http://127.0.0.1:9", region: "us-east-1", bucket: "crate-gone", prefix: "", addressing: .path)
        let store = try S3Store(
            location: location, credentials: S3Credentials(accessKeyId: "crate-test", secretAccessKey: "secret"),
            retryPolicy: RetryPolicy(baseDelay: .milliseconds(10)))
        await #expect {
            try await store.head("k")
        } throws: { error in
            guard let storage = error as? StorageError, storage.isRetryable else { return false }
            return "\(storage)".contains("cannot reach")
        }
    }

    @Test func errorsAreStorageErrors() async throws {
        let store = try await makeStore()
        try await store.put("k", bytes: [1, 2, 3])
        await #expect {
            try await store.get("missing", range: nil)
        } throws: { error in
            guard case .notFound(key: "missing") = error as? StorageError else { return false }
            return true
        }
        await #expect {
            try await store.get("k", range: 10..<20)
        } throws: { error in
            guard case .invalidRange(key: "k", range: 10..<20, size: 3) = error as? StorageError else { return false }
            return true
        }
        await #expect {
            try await store.put("a//b", bytes: [])
        } throws: { error in
            guard case .invalidKey = error as? StorageError else { return false }
            return true
        }

        let missing = try await makeStore(createBucket: false)
        await #expect {
            try await missing.put("k", bytes: [1])
        } throws: { error in
            guard case .remote(let message, retryable: false) = error as? StorageError else { return false }
            return message.contains("does not exist at") && message.contains("create it or fix the bucket name")
        }
    }
}

/// `CRATE_BWLIMIT` over S3 paces the wire, not the reading: the request body's slices wait
/// for their time, and puts that start together go one after the other.
struct S3PacingTests {
    /// Bytes each key's requests sent, and what "b" had sent when each body had gone whole.
    final class Tally: Sendable {
        let sent = Mutex<[String: Int]>([:])
        let bSentWhenDone = Mutex<[String: Int]>([:])
        let asked = Mutex<[Int]>([])
        let pieces = Mutex<[Int]>([])
    }

    static func put(_ key: String, _ bytes: [UInt8], to store: some ObjectStore, _ tally: Tally) async throws {
        let heard: @Sendable (Int) -> Void = { count in
            let total = tally.sent.withLock { sent in
                sent[key, default: 0] += count
                return sent[key]!
            }
            guard total == bytes.count else { return }
            let b = tally.sent.withLock { $0["b", default: 0] }
            tally.bSentWhenDone.withLock { $0[key] = b }
        }
        try await S3Upload.$bodySent.withValue(S3Upload.Hearing(heard)) { try await store.put(key, bytes: bytes) }
    }

    @Test func pacedPutsTakeTheWireInTurn() async throws {
        let s3 = try await S3StoreTests().makeStore()
        let store = RateLimitedStore(wrapping: s3, pace: UploadPace(bytesPerSecond: 1 << 20))
        let tally = Tally()
        let bytes = S3StoreTests.pattern(1 << 20)
        async let first: Void = Self.put("a", bytes, to: store, tally)
        try await Task.sleep(for: .milliseconds(20))
        async let second: Void = Self.put("b", bytes, to: store, tally)
        try await first
        try await second
        #expect(tally.bSentWhenDone.withLock { $0["a"] } == 0, "b sent nothing before all of a had gone")
        #expect(tally.sent.withLock { $0 } == ["a": 1 << 20, "b": 1 << 20])
        #expect(try await s3.getAll("b") == bytes)
    }

    /// The transport asks before each slice of a body and says when it went; a paced body's
    /// slices are smaller.
    @Test func theTransportConsultsTheUploadHooks() async throws {
        let s3 = try await S3StoreTests().makeStore()
        let tally = Tally()
        let asked: @Sendable (Int) async throws -> Void = { count in tally.asked.withLock { $0.append(count) } }
        let heard: @Sendable (Int) -> Void = { count in tally.pieces.withLock { $0.append(count) } }
        try await S3Upload.$beforePiece.withValue(S3Upload.Gate(asked)) {
            try await S3Upload.$bodySent.withValue(S3Upload.Hearing(heard)) {
                try await s3.put("k", bytes: S3StoreTests.pattern(600 << 10))
            }
        }
        // A paced body goes in slices of 64 KiB.
        let slices = Array(repeating: 64 << 10, count: 9) + [24 << 10]
        #expect(tally.asked.withLock { $0 } == slices)
        #expect(tally.pieces.withLock { $0 } == slices)
        // Unpaced, in slices of 256 KiB.
        tally.pieces.withLock { $0 = [] }
        try await S3Upload.$bodySent.withValue(S3Upload.Hearing(heard)) {
            try await s3.put("k", bytes: S3StoreTests.pattern(600 << 10))
        }
        #expect(tally.pieces.withLock { $0 } == [256 << 10, 256 << 10, 88 << 10])
    }
}
