import Testing

@testable import CrateStorage

@Suite struct ChunkGeometryTests {
    let geometry = ChunkGeometry(chunkSize: 100)

    @Test func spansCutAtChunkBoundaries() {
        #expect(geometry.spans(streamOffset: 0, length: 0).isEmpty)
        #expect(
            geometry.spans(streamOffset: 0, length: 100) == [.init(chunkOrdinal: 0, offsetInChunk: 0, length: 100)])
        #expect(
            geometry.spans(streamOffset: 90, length: 230) == [
                .init(chunkOrdinal: 0, offsetInChunk: 90, length: 10),
                .init(chunkOrdinal: 1, offsetInChunk: 0, length: 100),
                .init(chunkOrdinal: 2, offsetInChunk: 0, length: 100),
                .init(chunkOrdinal: 3, offsetInChunk: 0, length: 20),
            ])
        #expect(geometry.chunkCount(streamLength: 0) == 0)
        #expect(geometry.chunkCount(streamLength: 100) == 1)
        #expect(geometry.chunkCount(streamLength: 101) == 2)
    }

    @Test func piecesMapFileRangesIntoChunks() {
        // A 130-byte file starting 90 bytes into the stream.
        let rows = [
            FileChunkPiece(fileIndex: 1, chunkID: "c1", chunkIndex: 1, byteOffset: 0, byteLength: 100),
            FileChunkPiece(fileIndex: 1, chunkID: "c0", chunkIndex: 0, byteOffset: 90, byteLength: 10),
            FileChunkPiece(fileIndex: 1, chunkID: "c2", chunkIndex: 2, byteOffset: 0, byteLength: 20),
        ]
        func describe(_ range: Range<Int64>) -> [String] {
            ChunkGeometry.pieces(of: rows, covering: range).map { "\($0.piece.chunkID):\($0.rangeInChunk)" }
        }
        #expect(describe(0..<130) == ["c0:90..<100", "c1:0..<100", "c2:0..<20"])
        #expect(describe(5..<15) == ["c0:95..<100", "c1:0..<5"])
        #expect(describe(10..<110) == ["c1:0..<100"])
        #expect(describe(129..<130) == ["c2:19..<20"])
        #expect(describe(50..<50).isEmpty)
    }
}
