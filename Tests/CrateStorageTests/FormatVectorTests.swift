import CrateCore
import CrateStorage
import Crypto
import Foundation
import Testing

/// Checks the code against the test vectors of docs/storage-format.md §7 that live in
/// `Vectors/`. They were computed from the document's rules alone, in Python
/// (`Vectors/generate.py`), not from this code; every test here only uses Crate's public API.
@Suite struct FormatVectorTests {
    let key = try! DataKey(bytes: Array(0..<32))
    /// 2027-01-15T08:00:00Z, the `created` date of every vector.
    let created = Date(timeIntervalSince1970: 1_800_000_000)

    // MARK: (a) a sealed object of several segments

    struct SealedSegments: Decodable {
        struct Segment: Decodable {
            var index: Int64
            var nonce: String
            var storedOffset: Int
            var storedLength: Int
            var ciphertextStart: String
            var tag: String
        }
        struct Ranges: Decodable {
            var plaintext: [Int64]
            var segments: [Int64]
            var stored: [Int64]
        }
        struct Damage: Decodable {
            var what: String
            var flip: Int?
            var cutTo: Int?
            var recordedSize: Int64?
            var swapSegments: [Int]?
            var renameTo: String?
            var setByte: [Int]?
            var append: Int?
            var error: String
            var segment: Int64?
        }
        var noncePrefix: String
        var objectKey: String
        var plaintextSize: Int
        var plaintextSHA256: String
        var header: String
        var storedSize: Int
        var storedSHA256: String
        var segments: [Segment]
        var ranges: [Ranges]
        var damage: [Damage]
    }

    func sealedSegmentsVector() async throws -> (SealedSegments, plaintext: [UInt8], sealed: [UInt8]) {
        let vector = try JSONDecoder().decode(SealedSegments.self, from: vectorData("sealed-segments.json"))
        let plaintext = (0..<vector.plaintextSize).map { UInt8($0 % 251) }
        let prefix = bytes(hex: vector.noncePrefix)
        let codec = SealedCodec(dataKey: key) { prefix }
        let sealed = try await codec.encode(BytesReader(plaintext), objectName: vector.objectKey).readAll()
        return (vector, plaintext, sealed)
    }

    @Test func sealedObjectOfSeveralSegments() async throws {
        let (vector, plaintext, sealed) = try await sealedSegmentsVector()
        #expect(hex(SHA256.hash(data: plaintext)) == vector.plaintextSHA256)
        #expect(sealed.count == vector.storedSize)
        #expect(SealedFormat.storedSize(plaintextSize: Int64(plaintext.count)) == Int64(vector.storedSize))
        #expect(hex(sealed[0..<24]) == vector.header)
        #expect(hex(SHA256.hash(data: sealed)) == vector.storedSHA256)
        #expect(vector.segments.count == 3)
        for segment in vector.segments {
            let last = segment.index == Int64(vector.segments.count - 1)
            let nonce = SealedFormat.nonce(
                prefix: bytes(hex: vector.noncePrefix), counter: segment.index, last: last)
            #expect(hex(nonce) == segment.nonce)
            let body = sealed[segment.storedOffset..<(segment.storedOffset + segment.storedLength)]
            #expect(hex(body.prefix(16)) == segment.ciphertextStart)
            #expect(hex(body.suffix(16)) == segment.tag)
        }
        for range in vector.ranges {
            let wanted = range.plaintext[0]..<range.plaintext[1]
            let segments = SealedFormat.segments(covering: wanted)
            #expect(segments == range.segments[0]..<range.segments[1])
            let stored = SealedFormat.storedRange(ofSegments: segments, plaintextSize: Int64(plaintext.count))
            #expect(stored == range.stored[0]..<range.stored[1])
        }
    }

    @Test func sealedObjectOpensAndRangesRead() async throws {
        let (vector, plaintext, sealed) = try await sealedSegmentsVector()
        let store = InMemoryStore()
        store.overwriteRaw(vector.objectKey, bytes: sealed)
        let codec = SealedCodec(dataKey: key)
        for size in [nil, Int64(plaintext.count)] {
            let whole = try await codec.decode(from: store, key: vector.objectKey, range: nil, plaintextSize: size)
            #expect(try await whole.readAll() == plaintext)
            for range in vector.ranges {
                let wanted = range.plaintext[0]..<range.plaintext[1]
                let reader = try await codec.decode(
                    from: store, key: vector.objectKey, range: wanted, plaintextSize: size)
                #expect(try await reader.readAll() == Array(plaintext[Int(wanted.lowerBound)..<Int(wanted.upperBound)]))
            }
        }
    }

    @Test func damagedSealedObjectsFailAsDocumented() async throws {
        let (vector, _, sealed) = try await sealedSegmentsVector()
        let codec = SealedCodec(dataKey: key)
        for damage in vector.damage {
            var bytes = sealed
            var name = vector.objectKey
            if let flip = damage.flip { bytes[flip] ^= 0x01 }
            if let cut = damage.cutTo { bytes = Array(bytes[..<cut]) }
            if let append = damage.append { bytes += [UInt8](repeating: 0, count: append) }
            if let pair = damage.swapSegments {
                let size = Int(SealedFormat.sealedSegmentSize)
                let first = Array(bytes[(24 + pair[0] * size)..<(24 + (pair[0] + 1) * size)])
                let second = Array(bytes[(24 + pair[1] * size)..<(24 + (pair[1] + 1) * size)])
                bytes.replaceSubrange((24 + pair[0] * size)..<(24 + (pair[0] + 1) * size), with: second)
                bytes.replaceSubrange((24 + pair[1] * size)..<(24 + (pair[1] + 1) * size), with: first)
            }
            if let change = damage.setByte { bytes[change[0]] = UInt8(change[1]) }
            if let rename = damage.renameTo { name = rename }
            let store = InMemoryStore()
            store.overwriteRaw(name, bytes: bytes)
            var failure: StorageError?
            do {
                let reader = try await codec.decode(
                    from: store, key: name, range: nil, plaintextSize: damage.recordedSize)
                _ = try await reader.readAll()
            } catch let error as StorageError {
                failure = error
            }
            #expect(failure.map(errorClass) == damage.error, "\(damage.what): \(String(describing: failure))")
            if let segment = damage.segment {
                #expect(failure == .authenticationFailed(key: name, segment: segment), "\(damage.what)")
            }
        }
    }

    // MARK: (b) a chunk mapping

    struct ChunkMappingVector: Decodable {
        struct File: Decodable {
            var index: Int
            var path: String
            var size: Int64
            var sha256: String
            var content: String
        }
        struct Chunk: Decodable {
            var ordinal: Int
            var plaintext: String
            var plainID: String
            var sealedID: String
        }
        struct Read: Decodable {
            struct Piece: Decodable {
                var chunkID: String
                var chunkIndex: Int
                var rangeInChunk: [Int64]
            }
            var fileIndex: Int
            var range: [Int64]
            var pieces: [Piece]
            var bytes: String
        }
        var chunkSize: Int
        var files: [File]
        var stream: String
        var chunks: [Chunk]
        var mapping: [FileChunkPiece]
        var sealedMapping: [FileChunkPiece]
        var reads: [Read]
    }

    /// A release written through the public writer, on a chunked profile with the vector's
    /// chunk size (below what a profile accepts: the arithmetic is the same for any size).
    func writeRelease(_ vector: ChunkMappingVector, encrypted: Bool, chunked: Bool) async throws -> (
        StorageStack, ReleaseManifest
    ) {
        let spec = ProfileSpec(
            name: "vectors", location: .local(path: "/unused"), encrypted: encrypted, chunked: chunked,
            chunkSize: chunked ? vector.chunkSize : nil)
        let stack = try StorageStack.make(spec: spec, dataKey: encrypted ? key : nil, store: InMemoryStore())
        let release = ReleaseInfo(
            id: "0123456789abcdef0123456789abcdef", artist: "Nina Simone", title: "Pastel Blues", year: 1965,
            extra: ["label": "Philips", "catalogNumber": "PHS 600-187"])
        let writer = try stack.makeWriter(release: release)
        for file in vector.files {
            try await writer.writeFile(path: file.path, size: file.size, body: BytesReader(bytes(hex: file.content)))
        }
        return (stack, try await writer.finish(created: created))
    }

    @Test func chunkMappingMatchesTheVector() async throws {
        let vector = try JSONDecoder().decode(ChunkMappingVector.self, from: vectorData("chunk-mapping.json"))
        let geometry = ChunkGeometry(chunkSize: Int64(vector.chunkSize))
        #expect(geometry.chunkCount(streamLength: Int64(vector.stream.count / 2)) == vector.chunks.count)
        // The write side: each file's spans, named by the chunks at those ordinals.
        var rows: [FileChunkPiece] = []
        var offset: Int64 = 0
        for file in vector.files {
            for (piece, span) in geometry.spans(streamOffset: offset, length: file.size).enumerated() {
                rows.append(
                    FileChunkPiece(
                        fileIndex: file.index, chunkID: vector.chunks[span.chunkOrdinal].plainID, chunkIndex: piece,
                        byteOffset: span.offsetInChunk, byteLength: span.length))
            }
            offset += file.size
        }
        #expect(rows == vector.mapping)
        let naming = ObjectNaming(identifierKey: nil, chunked: true)
        let sealedNaming = ObjectNaming(identifierKey: key.identifierKey, chunked: true)
        for chunk in vector.chunks {
            #expect(naming.chunkID(bytes(hex: chunk.plaintext)) == chunk.plainID)
            #expect(sealedNaming.chunkID(bytes(hex: chunk.plaintext)) == chunk.sealedID)
        }
        // The read side: which chunk bytes hold a range of a file.
        for read in vector.reads {
            let pieces = ChunkGeometry.pieces(
                of: vector.mapping.filter { $0.fileIndex == read.fileIndex }, covering: read.range[0]..<read.range[1])
            #expect(pieces.map(\.piece.chunkID) == read.pieces.map(\.chunkID))
            #expect(pieces.map(\.piece.chunkIndex) == read.pieces.map(\.chunkIndex))
            #expect(pieces.map(\.rangeInChunk) == read.pieces.map { $0.rangeInChunk[0]..<$0.rangeInChunk[1] })
        }
        // The writer makes the same mapping, plain and sealed, and reads the ranges back.
        for encrypted in [false, true] {
            let (stack, manifest) = try await writeRelease(vector, encrypted: encrypted, chunked: true)
            #expect(manifest.mapping == (encrypted ? vector.sealedMapping : vector.mapping))
            #expect(manifest.chunks.map(\.ordinal) == vector.chunks.map(\.ordinal))
            #expect(manifest.chunks.map(\.id) == vector.chunks.map { encrypted ? $0.sealedID : $0.plainID })
            // A chunk that repeats is listed once per ordinal and stored once.
            #expect(Set(manifest.chunks.map(\.id)).count == 4 && manifest.chunks.count == 5)
            #expect(try await stack.store.list(prefix: "objects/").count == 4)
            let storage = ReleaseStorage(stack: stack, manifest: manifest)
            for read in vector.reads {
                let path = vector.files[read.fileIndex].path
                let got = try await storage.readRange(path, read.range[0]..<read.range[1]).readAll()
                #expect(hex(got) == read.bytes, "\(path) \(read.range)")
            }
            #expect(try await storage.readFile(vector.files[1].path).readAll().isEmpty)
        }
    }

    // MARK: (c) whole manifests

    @Test(arguments: [
        ("plain-chunked", false, true), ("sealed-chunked", true, true), ("plain-whole", false, false),
        ("sealed-whole", true, false),
    ])
    func manifestIsTheVectorByteForByte(name: String, encrypted: Bool, chunked: Bool) async throws {
        let mapping = try JSONDecoder().decode(ChunkMappingVector.self, from: vectorData("chunk-mapping.json"))
        let expected = Array(try vectorData("manifest-\(name).json"))
        let (stack, manifest) = try await writeRelease(mapping, encrypted: encrypted, chunked: chunked)
        #expect(String(decoding: try manifest.jsonBytes(), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        #expect(try ReleaseManifest.parse(expected, key: manifest.objectKey) == manifest)
        // The stored manifest (sealed under a random nonce prefix) opens to the same document.
        #expect(try await stack.openRelease(id: manifest.release.id).manifest == manifest)
        guard encrypted else {
            #expect(try await stack.store.getAll(manifest.objectKey) == expected)
            return
        }
        let sealedHex = String(decoding: try vectorData("manifest-\(name).sealed.hex"), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let prefix: [UInt8] = [0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6]
        let fixed = SealedCodec(dataKey: key) { prefix }
        let sealed = try await fixed.encode(BytesReader(expected), objectName: manifest.objectKey).readAll()
        #expect(hex(sealed) == sealedHex)
        // The vector's sealed bytes open as that release's manifest on a profile with this key.
        let store = InMemoryStore()
        store.overwriteRaw(manifest.objectKey, bytes: bytes(hex: sealedHex))
        let spec = ProfileSpec(
            name: "vectors", location: .local(path: "/unused"), encrypted: true, chunked: chunked,
            chunkSize: chunked ? mapping.chunkSize : nil)
        let reader = try StorageStack.make(spec: spec, dataKey: key, store: store)
        #expect(try await reader.releaseIDs() == [manifest.release.id])
        #expect(try await reader.openRelease(id: manifest.release.id).manifest == manifest)
    }

    /// What a reader does with what it does not know (docs/storage-format.md §1.3).
    @Test func documentsIgnoreUnknownFieldsAndRefuseOtherVersions() throws {
        let bytes = Array(try vectorData("manifest-plain-chunked.json"))
        let key = "manifests/0123456789abcdef0123456789abcdef"
        func edited(_ change: (inout [String: Any]) -> Void) throws -> [UInt8] {
            var object = try JSONSerialization.jsonObject(with: Data(bytes)) as! [String: Any]
            change(&object)
            return Array(try JSONSerialization.data(withJSONObject: object))
        }
        let original = try ReleaseManifest.parse(bytes, key: key)
        #expect(try ReleaseManifest.parse(edited { $0["comment"] = "from a later writer" }, key: key) == original)
        for version in [0, 2] {
            #expect(throws: StorageError.unsupportedDocumentVersion(key: key, version: version)) {
                try ReleaseManifest.parse(edited { $0["formatVersion"] = version }, key: key)
            }
        }
        let noYear = try ReleaseManifest.parse(
            edited {
                var release = $0["release"] as! [String: Any]
                release["year"] = NSNull()
                $0["release"] = release
            }, key: key)
        #expect(noYear.release.year == nil)
        #expect(throws: StorageError.self) {
            try ReleaseManifest.parse(
                edited {
                    var release = $0["release"] as! [String: Any]
                    release["extra"] = nil
                    $0["release"] = release
                }, key: key)
        }
        let profile = Array(try vectorData("profile-sealed-chunked.json"))
        let descriptor = try ProfileDescriptor.parse(profile)
        var object = try JSONSerialization.jsonObject(with: Data(profile)) as! [String: Any]
        object["comment"] = "ignored"
        #expect(try ProfileDescriptor.parse(Array(try JSONSerialization.data(withJSONObject: object))) == descriptor)
        object["formatVersion"] = 2
        #expect(throws: StorageError.unsupportedDocumentVersion(key: "crate-profile.json", version: 2)) {
            try ProfileDescriptor.parse(Array(try JSONSerialization.data(withJSONObject: object)))
        }
    }

    // MARK: profile descriptors

    @Test func profileDescriptorsAreTheVectorsByteForByte() throws {
        let parameters = ScryptParameters(n: 1024, r: 8, p: 1, salt: Array(0..<16))
        let wrapped = try WrappedKey.wrap(
            key, passphrase: "correct horse battery staple", parameters: parameters, nonce: Array(0xB0...0xBB))
        let sealed = ProfileDescriptor(
            encrypted: true, chunked: true, chunkSize: 4_194_304, wrappedKey: wrapped, created: created)
        let plain = ProfileDescriptor(
            encrypted: false, chunked: false, chunkSize: nil, wrappedKey: nil, created: created)
        for (descriptor, name) in [(sealed, "profile-sealed-chunked.json"), (plain, "profile-plain-whole.json")] {
            let expected = Array(try vectorData(name))
            #expect(
                String(decoding: try descriptor.jsonBytes(), as: UTF8.self) == String(decoding: expected, as: UTF8.self)
            )
            #expect(try ProfileDescriptor.parse(expected) == descriptor)
        }
        let unwrapped = try ProfileDescriptor.parse(Array(try vectorData("profile-sealed-chunked.json")))
            .wrappedKey!.unwrap(passphrase: "correct horse battery staple", profileName: "vectors")
        #expect(unwrapped == key)
        #expect(hex(unwrapped.keyID) == wrapped.keyID)
    }

    // MARK: (d) readable names

    struct NameCase: Decodable {
        var what: String
        var id: String
        var artist: String
        var title: String
        var year: Int?
        var path: String
        var key: String
    }

    @Test func readableNamesMatchTheVectors() throws {
        struct Cases: Decodable { var cases: [NameCase] }
        let cases = try JSONDecoder().decode(Cases.self, from: vectorData("plain-names.json")).cases
        #expect(cases.count >= 15)
        let naming = ObjectNaming(identifierKey: nil, chunked: false)
        for vector in cases {
            let release = ReleaseInfo(id: vector.id, artist: vector.artist, title: vector.title, year: vector.year)
            let key = naming.fileKey(release: release, path: vector.path)
            // Compare bytes: Swift's String equality would accept another normalisation.
            #expect(Array(key.utf8) == Array(vector.key.utf8), "\(vector.what): \(key.debugDescription)")
        }
    }

    // MARK: recovery codes

    @Test func recoveryCodesMatchTheVector() throws {
        struct Codes: Decodable {
            var dataKey: String
            var code: String
            var accepted: [String]
            var refused: [String]
        }
        let codes = try JSONDecoder().decode(Codes.self, from: vectorData("recovery-codes.json"))
        #expect(key.recoveryCode == codes.code)
        for text in codes.accepted {
            #expect(try DataKey(recoveryCode: text).bytes == bytes(hex: codes.dataKey), "\(text.debugDescription)")
        }
        for text in codes.refused {
            #expect(throws: StorageError.self, "\(text.debugDescription)") { try DataKey(recoveryCode: text) }
        }
    }
}

/// The name of an error's case, as the vectors spell it.
private func errorClass(_ error: StorageError) -> String {
    switch error {
    case .authenticationFailed: "authenticationFailed"
    case .truncated: "truncated"
    case .integrity: "integrity"
    case .unsupportedFormatVersion: "unsupportedFormatVersion"
    case .wrongKey: "wrongKey"
    case .notACrateObject: "notACrateObject"
    default: "\(error)"
    }
}

/// The bytes of a file in `Vectors/`.
private func vectorData(_ name: String) throws -> Data {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors")
    return try Data(contentsOf: folder.appendingPathComponent(name))
}

private func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    bytes.map { String(format: "%02x", $0) }.joined()
}

private func bytes(hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    return stride(from: 0, to: digits.count, by: 2).map {
        UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
    }
}
