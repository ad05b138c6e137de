import Testing

@testable import CrateStorage

@Suite struct SealedFormatTests {
    @Test func sizesRoundTrip() throws {
        for plaintext: Int64 in [0, 1, 65_535, 65_536, 65_537, 131_072, 131_073, 10_000_000] {
            let stored = SealedFormat.storedSize(plaintextSize: plaintext)
            #expect(try SealedFormat.plaintextSize(storedSize: stored, key: "k") == plaintext)
        }
        #expect(SealedFormat.storedSize(plaintextSize: 0) == 40)
        #expect(SealedFormat.storedSize(plaintextSize: 65_536) == 24 + 65_552)
        #expect(SealedFormat.storedSize(plaintextSize: 65_537) == 24 + 65_552 + 17)
    }

    @Test func impossibleSizesAreTruncations() {
        for stored: Int64 in [0, 23, 24, 39, 24 + 65_552 + 15] {
            #expect(throws: StorageError.self) { try SealedFormat.plaintextSize(storedSize: stored, key: "k") }
        }
    }

    @Test func segmentsCoveringRanges() {
        #expect(SealedFormat.segments(covering: 0..<1) == 0..<1)
        #expect(SealedFormat.segments(covering: 65_535..<65_536) == 0..<1)
        #expect(SealedFormat.segments(covering: 65_535..<65_537) == 0..<2)
        #expect(SealedFormat.segments(covering: 65_536..<65_537) == 1..<2)
        let expected: Range<Int64> = 65_576..<70_056
        #expect(SealedFormat.storedRange(ofSegments: 1..<2, plaintextSize: 70_000) == expected)
    }

    @Test func nonceIsPrefixCounterAndFlag() {
        let nonce = SealedFormat.nonce(prefix: [1, 2, 3, 4, 5, 6, 7], counter: 0x0102_0304, last: true)
        #expect(nonce == [1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 1])
    }

    @Test func headerParsing() throws {
        let header = SealedFormat.Header(
            keyID: Array(repeating: 9, count: 8), noncePrefix: Array(repeating: 7, count: 7))
        #expect(try SealedFormat.Header.parse(header.bytes, key: "k") == header)
        #expect(throws: StorageError.notACrateObject(key: "k")) {
            try SealedFormat.Header.parse(Array("fLaC and the rest of a FLAC file".utf8), key: "k")
        }
        var future = header.bytes
        future[8] = 2
        #expect(throws: StorageError.unsupportedFormatVersion(key: "k", version: 2)) {
            try SealedFormat.Header.parse(future, key: "k")
        }
        #expect(throws: StorageError.truncated(key: "k", reason: "it ends inside its header")) {
            try SealedFormat.Header.parse(Array(header.bytes.prefix(12)), key: "k")
        }
    }
}
