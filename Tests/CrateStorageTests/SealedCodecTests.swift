import Testing

@testable import CrateStorage

@Suite struct SealedCodecTests {
    let key = try! DataKey(bytes: Array(0..<32))
    var codec: SealedCodec { SealedCodec(dataKey: key) }

    func store(_ plaintext: [UInt8], as name: String, in store: any ObjectStore) async throws {
        try await codec.putDocument(plaintext, key: name, in: store)
    }

    @Test(arguments: [0, 1, 65_535, 65_536, 65_537, 131_072, 200_000])
    func roundTrips(size: Int) async throws {
        let memory = InMemoryStore()
        let plaintext = testBytes(count: size, seed: UInt64(size))
        try await store(plaintext, as: "objects/aa/bb/x", in: memory)
        #expect(try await memory.head("objects/aa/bb/x")?.size == codec.storedSize(plaintextSize: Int64(size)))
        let whole = try await codec.decode(from: memory, key: "objects/aa/bb/x", range: nil, plaintextSize: nil)
        #expect(try await whole.readAll(pieceSize: 1000) == plaintext)
        let known = try await codec.decode(
            from: memory, key: "objects/aa/bb/x", range: nil, plaintextSize: Int64(size))
        #expect(try await known.readAll() == plaintext)
    }

    /// A chunk sealed from its buffer is byte for byte what the streaming sealer makes, however
    /// the store pulls it.
    @Test(arguments: [0, 1, 65_535, 65_536, 65_537, 3 * 65_536 + 5, 20 * 65_536])
    func chunkSealedInPlaceMatchesTheStreamingSealer(size: Int) async throws {
        let fixed = SealedCodec(dataKey: key) { Array(repeating: 3, count: SealedFormat.noncePrefixSize) }
        let plaintext = testBytes(count: size, seed: UInt64(size) + 11)
        let streamed = try await fixed.encode(BytesReader(plaintext), objectName: "objects/aa/bb/c").readAll()
        let chunk = ChunkBuffer(capacity: max(1, size))
        chunk.append(plaintext)
        for piece in [1, 1000, 65_552, 1 << 20] {
            let reader = fixed.encode(chunk: chunk, objectName: "objects/aa/bb/c")
            var sealed: [UInt8] = []
            while true {
                let next = try await reader.read(upTo: piece)
                if next.isEmpty { break }
                #expect(next.count <= piece)
                sealed += next
            }
            #expect(sealed == streamed, "pieces of \(piece)")
        }
        let memory = InMemoryStore()
        try await memory.put(
            "objects/aa/bb/c", body: codec.encode(chunk: chunk, objectName: "objects/aa/bb/c"), size: nil)
        let opened = try await codec.decode(
            from: memory, key: "objects/aa/bb/c", range: nil, plaintextSize: Int64(size))
        #expect(try await opened.readAll() == plaintext)
    }

    /// Readers give the right bytes whatever pieces their caller asks for: tiny, odd, larger than
    /// a batch of segments, or absurdly large.
    @Test func anyPieceSizeReadsTheSameBytes() async throws {
        let memory = InMemoryStore()
        let size = 40 * 65_536 + 333
        let plaintext = testBytes(count: size, seed: 21)
        try await store(plaintext, as: "p", in: memory)
        let sealed = try await memory.getAll("p")
        for cycle in [[Int.max], [1 << 40], [1, 24, 65_535, 65_537, 1 << 20, 3 << 20]] {
            func drain(_ reader: any ByteReader) async throws -> [UInt8] {
                var result: [UInt8] = []
                var turn = 0
                while true {
                    let want = cycle[turn % cycle.count]
                    turn += 1
                    let piece = try await reader.read(upTo: want)
                    if piece.isEmpty { return result }
                    #expect(piece.count <= want)
                    result += piece
                }
            }
            let whole = try await codec.decode(from: memory, key: "p", range: nil, plaintextSize: Int64(size))
            #expect(try await drain(whole) == plaintext, "\(cycle)")
            let range = try await codec.decode(from: memory, key: "p", range: 65_000..<2_000_000, plaintextSize: nil)
            #expect(try await drain(range) == Array(plaintext[65_000..<2_000_000]), "\(cycle)")
            let fixed = SealedCodec(dataKey: key) { Array(repeating: 4, count: SealedFormat.noncePrefixSize) }
            let reference = try await fixed.encode(BytesReader(plaintext), objectName: "p").readAll()
            #expect(try await drain(fixed.encode(BytesReader(plaintext), objectName: "p")) == reference)
            #expect(reference.count == sealed.count)
        }
    }

    @Test func rangeReadsAtEveryBoundary() async throws {
        let memory = InMemoryStore()
        let size = 3 * 65_536 + 100
        let plaintext = testBytes(count: size, seed: 5)
        try await store(plaintext, as: "r", in: memory)
        let points = [0, 1, 65_535, 65_536, 65_537, 131_071, 131_072, 131_073, 196_608, size - 1, size]
        for lower in points {
            for upper in points where upper >= lower {
                for known in [nil, Int64(size)] {
                    let reader = try await codec.decode(
                        from: memory, key: "r", range: Int64(lower)..<Int64(upper), plaintextSize: known)
                    #expect(try await reader.readAll() == Array(plaintext[lower..<upper]), "\(lower)..<\(upper)")
                }
            }
        }
        let clipped = try await codec.decode(from: memory, key: "r", range: 196_000..<999_999, plaintextSize: nil)
        #expect(try await clipped.readAll() == Array(plaintext[196_000...]))
        await #expect(throws: StorageError.invalidRange(key: "r", range: 200_000..<200_001, size: Int64(size))) {
            _ = try await codec.decode(from: memory, key: "r", range: 200_000..<200_001, plaintextSize: nil)
        }
    }

    @Test func rangeReadFetchesOnlyCoveringSegments() async throws {
        let counting = CountingStore(wrapping: InMemoryStore())
        try await store(testBytes(count: 1 << 20, seed: 6), as: "big", in: counting)
        counting.reset()
        let reader = try await codec.decode(from: counting, key: "big", range: 300_000..<300_010, plaintextSize: nil)
        #expect(try await reader.readAll().count == 10)
        #expect(counting.counts.bytesRead <= Int64(SealedFormat.headerSize) + SealedFormat.sealedSegmentSize)
    }

    @Test func flippedBitFailsAuthentication() async throws {
        let memory = InMemoryStore()
        try await store(testBytes(count: 150_000, seed: 7), as: "t", in: memory)
        var bytes = try await memory.getAll("t")
        bytes[24 + 65_552 + 100] ^= 0x01
        memory.overwriteRaw("t", bytes: bytes)
        await #expect(throws: StorageError.authenticationFailed(key: "t", segment: 1)) {
            _ = try await codec.decode(from: memory, key: "t", range: nil, plaintextSize: nil).readAll()
        }
        await #expect(throws: StorageError.authenticationFailed(key: "t", segment: 1)) {
            _ = try await codec.decode(from: memory, key: "t", range: 70_000..<70_001, plaintextSize: nil).readAll()
        }
    }

    @Test func truncationAtASegmentBoundaryIsNamed() async throws {
        let memory = InMemoryStore()
        try await store(testBytes(count: 150_000, seed: 8), as: "t", in: memory)
        let bytes = try await memory.getAll("t")
        memory.overwriteRaw("t", bytes: Array(bytes.prefix(24 + 2 * 65_552)))
        let expected = StorageError.truncated(key: "t", reason: "it ends after segment 1, which is not its last")
        await #expect(throws: expected) {
            _ = try await codec.decode(from: memory, key: "t", range: nil, plaintextSize: nil).readAll()
        }
        await #expect(throws: expected) {
            _ = try await codec.decode(from: memory, key: "t", range: 131_000..<131_072, plaintextSize: nil).readAll()
        }
        // With the size from a manifest, the missing segment itself is noticed.
        await #expect(throws: StorageError.truncated(key: "t", reason: "segment 2 is missing")) {
            _ = try await codec.decode(from: memory, key: "t", range: nil, plaintextSize: 150_000).readAll()
        }
        memory.overwriteRaw("t", bytes: Array(bytes.prefix(24)))
        await #expect(throws: StorageError.truncated(key: "t", reason: "segment 0 is missing")) {
            _ = try await codec.decode(from: memory, key: "t", range: nil, plaintextSize: nil).readAll()
        }
    }

    @Test func truncationInsideASegmentIsNamedWhenTheSizeIsKnown() async throws {
        let memory = InMemoryStore()
        try await store(testBytes(count: 150_000, seed: 9), as: "t", in: memory)
        let bytes = try await memory.getAll("t")
        memory.overwriteRaw("t", bytes: Array(bytes.prefix(24 + 65_552 + 1000)))
        await #expect(throws: StorageError.truncated(key: "t", reason: "it ends inside segment 1")) {
            _ = try await codec.decode(from: memory, key: "t", range: nil, plaintextSize: 150_000).readAll()
        }
        // Without a recorded size, a cut inside the last segment cannot be told from damage.
        await #expect(throws: StorageError.authenticationFailed(key: "t", segment: 1)) {
            _ = try await codec.decode(from: memory, key: "t", range: nil, plaintextSize: nil).readAll()
        }
        memory.overwriteRaw("t", bytes: Array(bytes.prefix(24 + 65_552 + 10)))
        await #expect(throws: StorageError.truncated(key: "t", reason: "it ends inside segment 1")) {
            _ = try await codec.decode(from: memory, key: "t", range: 0..<10, plaintextSize: nil).readAll()
        }
    }

    @Test func swappedObjectsFailAuthenticationNamingTheObject() async throws {
        let memory = InMemoryStore()
        try await store(testBytes(count: 1000, seed: 10), as: "objects/aa/aa/one", in: memory)
        try await store(testBytes(count: 1000, seed: 11), as: "objects/bb/bb/two", in: memory)
        let one = try await memory.getAll("objects/aa/aa/one")
        memory.overwriteRaw("objects/aa/aa/one", bytes: try await memory.getAll("objects/bb/bb/two"))
        memory.overwriteRaw("objects/bb/bb/two", bytes: one)
        for name in ["objects/aa/aa/one", "objects/bb/bb/two"] {
            await #expect(throws: StorageError.authenticationFailed(key: name, segment: 0)) {
                _ = try await codec.decode(from: memory, key: name, range: nil, plaintextSize: nil).readAll()
            }
        }
    }

    @Test func wrongKeyIsNamed() async throws {
        let memory = InMemoryStore()
        try await store([1, 2, 3], as: "w", in: memory)
        let other = SealedCodec(dataKey: try DataKey(bytes: Array(repeating: 1, count: 32)))
        await #expect {
            _ = try await other.decode(from: memory, key: "w", range: nil, plaintextSize: nil).readAll()
        } throws: { error in
            guard case StorageError.wrongKey(key: "w", _, _) = error else { return false }
            return "\(error)".contains("another key")
        }
    }

    @Test func plainObjectsAreNotCrateObjects() async throws {
        let memory = InMemoryStore()
        try await memory.put("p", bytes: Array("ID3 this is an mp3 file, honest".utf8))
        await #expect(throws: StorageError.notACrateObject(key: "p")) {
            _ = try await codec.decode(from: memory, key: "p", range: nil, plaintextSize: nil).readAll()
        }
        #expect("\(StorageError.notACrateObject(key: "p"))".contains("not a Crate object"))
    }

    /// The vector of docs/storage-format.md ("Test vectors"), checked independently with
    /// Python's `cryptography` when it was written.
    @Test func matchesTheDocumentedTestVector() async throws {
        let codec = SealedCodec(dataKey: key) { [0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6] }
        let memory = InMemoryStore()
        try await codec.putDocument(Array("Crate test vector\n".utf8), key: "objects/te/st/vector", in: memory)
        let sealed = try await memory.getAll("objects/te/st/vector")
        #expect(sealed.hex == SealedCodecVector.sealedHex)
        #expect(key.keyID.hex == SealedCodecVector.keyIDHex)
        let document = try storageFormatDocument()
        #expect(document.contains(SealedCodecVector.sealedHex) && document.contains(SealedCodecVector.keyIDHex))
    }
}

enum SealedCodecVector {
    static let keyIDHex = "37413302802752bc"
    static let sealedHex =
        "4352415445534c4401" + "37413302802752bc" + "a0a1a2a3a4a5a6"
        + "11767bcd8e57244ecb763e3c92dc93f4e3f3" + "b9e17503681be0f3ba82ff6517472fc0"
}
