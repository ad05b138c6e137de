import CrateCore
import CrateS3
import Foundation

/// An `ObjectStore` in an S3 bucket, under the profile's key prefix.
///
/// * **put** streams: it reads up to `partSize` bytes; if the body ended there, one PUT;
///   otherwise a multipart upload reading part after part. Every body (a single PUT's, or a
///   part) is read only once its bytes are free in `client.uploadBudget` and holds them until
///   its request ends, so however many puts run at once (chunks, or whole files of a release),
///   the bodies in memory stay within that budget.
///   A failed multipart upload is aborted, so nothing appears under the key (S3 itself makes
///   both kinds of PUT atomic).
/// * **get** streams through `S3ObjectDownload`: one GET per read, its body taken off the
///   connection as the reader asks for it, resumed where it broke off.
/// * Keys are `prefix/key` in the bucket; `list` strips the prefix again.
/// * Every error is a `StorageError`: a missing object becomes `.notFound`, a bad range
///   `.invalidRange`, anything else `.remote` with the S3 client's message and retry verdict.
public struct S3Store: ObjectStore {
    public let client: S3Client
    /// Prepended to every key: the profile's prefix plus `/`, or empty.
    public let keyPrefix: String
    /// Multipart part size, and the size up to which a single PUT is used.
    public let partSize: Int
    /// - Parameters:
    ///   - prefix: the profile's key prefix, without leading or trailing `/`; may be empty.
    ///   - partSize: at least 5 MiB (S3's minimum part size); smaller values are raised to it.
    public init(client: S3Client, prefix: String = "", partSize: Int = 8 << 20) {
        self.client = client
        self.keyPrefix = prefix.isEmpty ? "" : prefix + "/"
        self.partSize = max(S3Client.minimumPartSize, partSize)
    }

    /// A store for a profile's S3 location, with credentials from `credentials` or, when `nil`,
    /// resolved from the environment or the location's credentials profile (never from the catalog).
    public init(
        location: S3Location, credentials: S3Credentials? = nil, retryPolicy: RetryPolicy = RetryPolicy(),
        maxConcurrentParts: Int = 4
    ) throws(StorageError) {
        do throws(S3Error) {
            let resolved: S3Credentials
            if let credentials {
                resolved = credentials
            } else {
                resolved = try S3Credentials.resolve(profile: location.credentialsProfile)
            }
            let client = try S3Client(
                endpoint: location.endpoint, region: location.region, bucket: location.bucket,
                addressing: location.addressing == .path ? .path : .virtualHosted, credentials: resolved,
                retryPolicy: retryPolicy, maxConcurrentParts: maxConcurrentParts, caBundle: location.caBundle)
            self.init(client: client, prefix: location.prefix)
        } catch {
            throw Self.storageError(error, key: "")
        }
    }

    /// Bytes a put sends are heard by the put's `ObjectPut.meter`, as the connection takes them.
    public func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        guard let meter = ObjectPut.meter else { return try await send(key, body: body, size: size) }
        let heard = S3Upload.Hearing { meter.add($0) }
        try await S3Upload.$bodySent.withValue(heard) { try await send(key, body: body, size: size) }
    }

    private func send(_ key: String, body: any ByteReader, size: Int64?) async throws {
        let name = try objectName(key)
        let budget = client.uploadBudget
        do {
            // Parts are gathered straight into `Data`, the type the HTTP request sends, and sized
            // to the object when it is smaller than a part: no copy, no 8 MiB buffer for a 4 MiB chunk.
            // A body is read only once its bytes are free in the client's upload budget.
            let capacity = size.map { Int(min(Int64(partSize), max(0, $0))) } ?? partSize
            try await budget.acquire(capacity)
            let first: Data
            do {
                first = try await Self.readPart(body, limit: partSize, capacity: capacity)
            } catch {
                budget.release(capacity)
                throw error
            }
            if first.count < partSize {
                defer { budget.release(capacity) }
                try await client.putObject(name, data: first)
            } else {
                if capacity != partSize {
                    // The body is larger than announced: hold a whole part's bytes, as every part will.
                    budget.release(capacity)
                    try await budget.acquire(partSize)
                }
                try await client.uploadMultipart(name, firstPartHoldingBudget: first) {
                    try await Self.readPart(body, limit: partSize, capacity: partSize)
                }
            }
        } catch let error as S3Error {
            throw Self.storageError(error, key: key)
        }
    }

    /// Reads until `limit` bytes are gathered or `body` ends.
    /// Reads in pieces of at most `readPiece`: a body held in memory (a chunk) would otherwise
    /// come back as one array as large as the part, a fresh mapping the kernel zeroes page by
    /// page only to be copied into `part` and dropped.
    static let readPiece = 1 << 20

    static func readPart(_ body: any ByteReader, limit: Int, capacity: Int) async throws -> Data {
        var part = Data(capacity: capacity)
        while part.count < limit {
            let piece = try await body.read(upTo: min(readPiece, limit - part.count))
            if piece.isEmpty { break }
            part.append(contentsOf: piece)
        }
        return part
    }

    public func get(_ key: String, range: Range<Int64>?) async throws -> any ByteReader {
        let name = try objectName(key)
        do {
            let download = try await S3ObjectDownload.open(client, key: name, range: range)
            return S3DownloadReader(download, key: key)
        } catch .invalidRange {
            let size = try await head(key)?.size ?? 0
            throw StorageError.invalidRange(key: key, range: range ?? 0..<0, size: size)
        } catch {
            throw Self.storageError(error, key: key)
        }
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        let name = try objectName(key)
        do {
            return try await client.headObject(name).map { ObjectInfo(key: key, size: $0.size) }
        } catch {
            throw Self.storageError(error, key: key)
        }
    }

    public func delete(_ key: String) async throws {
        let name = try objectName(key)
        do {
            try await client.deleteObject(name)
        } catch {
            throw Self.storageError(error, key: key)
        }
    }

    public func list(prefix: String) async throws -> [ObjectInfo] {
        do {
            return try await client.listAllObjects(prefix: keyPrefix + prefix).map {
                ObjectInfo(key: String($0.key.dropFirst(keyPrefix.count)), size: $0.size)
            }
        } catch {
            throw Self.storageError(error, key: prefix)
        }
    }

    /// The bucket key for a store key, after checking the key against the `ObjectStore` contract.
    func objectName(_ key: String) throws(StorageError) -> String {
        // The same key rules as every store (`ObjectKey`), and S3's own limit of 1,024 bytes
        // for the whole name, prefix included.
        try ObjectKey.validate(key)
        let name = keyPrefix + key
        guard name.utf8.count <= 1024 else { throw .invalidKey(key) }
        return name
    }

    /// Maps the S3 client's errors to the storage engine's; `key` is the store key (without prefix).
    /// An endpoint that cannot be reached is not retried request by request (a wrong URL fails
    /// at once), but to the storage engine it is a store that stopped answering: an import it
    /// stops stays resumable, and gc gives no verdict on what it could not read. A server
    /// killed in the middle of a batch refused every connection after it: its jobs were failed
    /// for good, and `--resume` found nothing to resume.
    static func storageError(_ error: S3Error, key: String) -> StorageError {
        switch error {
        case .noSuchKey: .notFound(key: key)
        case .unreachable: .remote(message: error.description, retryable: true)
        default: .remote(message: error.description, retryable: error.isRetryable)
        }
    }
}

/// Adapts an `S3ObjectDownload` to the storage engine's `ByteReader`.
private final class S3DownloadReader: ByteReader {
    private let download: S3ObjectDownload
    private let key: String

    init(_ download: S3ObjectDownload, key: String) {
        self.download = download
        self.key = key
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        do {
            return try await download.read(upTo: maxCount)
        } catch {
            throw S3Store.storageError(error, key: key)
        }
    }
}
