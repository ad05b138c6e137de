import Crypto

/// Seals objects in the segmented AES-256-GCM format of `SealedFormat` under a profile's data
/// key. The object's name is bound into every segment, so an object copied to another name
/// does not open.
public struct SealedCodec: ObjectCodec {
    private let sealingKey: [UInt8]
    private let keyID: [UInt8]
    private let makeNoncePrefix: @Sendable () -> [UInt8]

    public init(dataKey: DataKey) {
        self.init(dataKey: dataKey) { SecureRandom.bytes(SealedFormat.noncePrefixSize) }
    }

    /// A codec whose nonce prefixes come from `noncePrefix`: only for test vectors, since
    /// reusing a prefix under one key breaks confidentiality.
    public init(dataKey: DataKey, noncePrefix: @escaping @Sendable () -> [UInt8]) {
        sealingKey = dataKey.sealingKey
        keyID = dataKey.keyID
        makeNoncePrefix = noncePrefix
    }

    public var isSealed: Bool { true }

    public func storedSize(plaintextSize: Int64) -> Int64 { SealedFormat.storedSize(plaintextSize: plaintextSize) }

    public func encode(_ plaintext: any ByteReader, objectName: String) -> any ByteReader {
        SealingReader(source: plaintext, cipher: cipher(objectName: objectName))
    }

    /// A cipher for a new object, with a fresh nonce prefix.
    private func cipher(objectName: String) -> SegmentCipher {
        let header = SealedFormat.Header(keyID: keyID, noncePrefix: makeNoncePrefix())
        return SegmentCipher(key: SymmetricKey(data: sealingKey), header: header, objectName: objectName)
    }

    public func encode(chunk: ChunkBuffer, objectName: String) -> any ByteReader {
        ChunkSealingReader(chunk: chunk, cipher: cipher(objectName: objectName))
    }

    public func decode(from store: any ObjectStore, key: String, range: Range<Int64>?, plaintextSize: Int64?)
        async throws -> any ByteReader
    {
        guard let range else {
            let source = try await store.get(key, range: nil)
            let cipher = try await readHeader(from: source, key: key)
            let count = plaintextSize.map { SealedFormat.segmentCount(plaintextSize: $0) }
            return OpeningReader(source: source, cipher: cipher, firstCounter: 0, segmentCount: count)
        }
        let size: Int64
        if let plaintextSize {
            size = plaintextSize
        } else {
            guard let info = try await store.head(key) else { throw StorageError.notFound(key: key) }
            if info.size < Int64(SealedFormat.headerSize) {
                _ = try SealedFormat.Header.parse(try await store.getAll(key), key: key)
            }
            size = try SealedFormat.plaintextSize(storedSize: info.size, key: key)
        }
        guard range.lowerBound <= size else { throw StorageError.invalidRange(key: key, range: range, size: size) }
        let wanted = range.lowerBound..<min(range.upperBound, size)
        guard !wanted.isEmpty else { return BytesReader([]) }
        let segments = SealedFormat.segments(covering: wanted)
        let stored = SealedFormat.storedRange(ofSegments: segments, plaintextSize: size)
        let source: any ByteReader
        let cipher: SegmentCipher
        if segments.lowerBound == 0 {
            // The header and the first segments are adjacent: one request.
            source = try await store.get(key, range: 0..<stored.upperBound)
            cipher = try await readHeader(from: source, key: key)
        } else {
            cipher = try await readHeader(
                from: try await store.get(key, range: 0..<Int64(SealedFormat.headerSize)), key: key)
            source = try await store.get(key, range: stored)
        }
        let skip = Int(wanted.lowerBound - SealedFormat.plaintextOffset(ofSegment: segments.lowerBound))
        return OpeningReader(
            source: source, cipher: cipher, firstCounter: segments.lowerBound,
            segmentCount: SealedFormat.segmentCount(plaintextSize: size), skip: skip, limit: Int64(wanted.count))
    }

    private func readHeader(from source: any ByteReader, key: String) async throws -> SegmentCipher {
        let header = try SealedFormat.Header.parse(try await source.readFully(SealedFormat.headerSize), key: key)
        guard header.keyID == keyID else {
            throw StorageError.wrongKey(key: key, expectedKeyID: keyID.hex, foundKeyID: header.keyID.hex)
        }
        return SegmentCipher(key: SymmetricKey(data: sealingKey), header: header, objectName: key)
    }
}
