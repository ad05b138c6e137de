import CrateCore
import Foundation
import Testing

@testable import CrateStorage

@Suite struct ReleaseStorageTests {
    @Test func conformsInMemory() async throws {
        try await runReleaseStorageConformance { InMemoryStore() }
    }

    @Test func conformsInALocalFolder() async throws {
        try await runReleaseStorageConformance(includeLargeFile: false) {
            LocalDirectoryStore(root: try makeTemporaryFolder())
        }
    }
}

@Suite struct ReleaseStorageRangeCostTests {
    /// A ranged read of a chunked, sealed file fetches only the chunk and segments covering it.
    @Test func rangedReadsFetchOnlyCoveringChunksAndSegments() async throws {
        let counting = CountingStore(wrapping: InMemoryStore())
        let spec = ProfileSpec(
            name: "sealed-chunked", location: .local(path: "/unused"), encrypted: true, chunked: true,
            chunkSize: 256 * 1024)
        let stack = try StorageStack.make(spec: spec, dataKey: DataKey.random(), store: counting)
        let writer = try stack.makeWriter(release: ReleaseInfo(id: "r1", artist: "A", title: "T"))
        try await writer.writeFile(path: "a.flac", size: 100_000, body: BytesReader(testBytes(count: 100_000, seed: 1)))
        let bytes = testBytes(count: 2 << 20, seed: 2)
        try await writer.writeFile(path: "b.flac", size: Int64(bytes.count), body: BytesReader(bytes))
        let release = ReleaseStorage(stack: stack, manifest: try await writer.finish())
        let header = Int64(SealedFormat.headerSize)
        let segment = SealedFormat.sealedSegmentSize

        // Inside one segment of one chunk.
        counting.reset()
        #expect(try await release.readRange("b.flac", 700_000..<700_100).readAll() == Array(bytes[700_000..<700_100]))
        #expect(counting.counts.bytesRead <= header + segment)
        #expect(counting.counts.heads == 0 && counting.counts.gets <= 2)

        // Across a chunk boundary (b.flac starts 100 000 bytes into the stream): two chunks,
        // one segment each.
        let boundary = 2 * 256 * 1024 - 100_000
        counting.reset()
        let across = try await release.readRange("b.flac", Int64(boundary - 10)..<Int64(boundary + 10)).readAll()
        #expect(across == Array(bytes[(boundary - 10)..<(boundary + 10)]))
        #expect(counting.counts.bytesRead <= 2 * (header + segment))

        // The whole file reads every chunk it spans, once.
        counting.reset()
        _ = try await release.readFile("b.flac").readAll()
        #expect(counting.counts.bytesRead <= SealedFormat.storedSize(plaintextSize: 256 * 1024) * 10)
    }
}
