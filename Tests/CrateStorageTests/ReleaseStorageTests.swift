import CrateCore
import Foundation
import Synchronization
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
        let (counting, stack, writer) = try countedChunkedRelease(encrypted: true)
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

@Suite struct SharedChunkReadTests {
    /// Files of a plain chunked release that share chunks (one file's end, the next one's start),
    /// read whole one after the other and all at once, fetch every chunk once.
    @Test func aChunkTwoFilesShareIsFetchedOnce() async throws {
        let (counting, stack, writer) = try countedChunkedRelease(encrypted: false)
        let sizes = [300_000, 700_000, 50_000, 900_000]
        var contents: [String: [UInt8]] = [:]
        for (index, size) in sizes.enumerated() {
            let path = "\(index + 1).flac"
            contents[path] = testBytes(count: size, seed: UInt64(index + 7))
            try await writer.writeFile(path: path, size: Int64(size), body: BytesReader(contents[path]!))
        }
        let manifest = try await writer.finish()
        let chunkCount = manifest.chunks.count
        #expect(Set(manifest.mapping.map(\.chunkID)).count < manifest.mapping.count, "the files share chunks")

        let release = ReleaseStorage(stack: stack, manifest: manifest)
        counting.reset()
        for path in contents.keys.sorted() { #expect(try await release.readFile(path).readAll() == contents[path]) }
        #expect(counting.counts.gets == chunkCount)
        #expect(counting.counts.bytesRead == Int64(sizes.reduce(0, +)))

        let again = ReleaseStorage(stack: stack, manifest: manifest)
        counting.reset()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (path, expected) in contents {
                group.addTask {
                    let bytes = try await again.readFile(path).readAll()
                    #expect(bytes == expected)
                }
            }
            try await group.waitForAll()
        }
        #expect(counting.counts.gets == chunkCount)
    }

    /// Every read counts, kept or not: a failed fetch keeps nothing and uses up its read; bytes
    /// are kept only while a read remains, and the last read takes them.
    @Test func readsAreCountedAndAFailedFetchKeepsNothing() async throws {
        let shared = SharedChunkReads(readsByKey: ["k": 3, "once": 1])
        let attempts = Mutex(0)
        struct Broken: Error {}
        await #expect(throws: Broken.self) {
            _ = try await shared.bytes(key: "k") {
                attempts.withLock { $0 += 1 }
                throw Broken()
            }
        }
        #expect(shared.heldCount == 0)
        let bytes = try await shared.bytes(key: "k") {
            attempts.withLock { $0 += 1 }
            return [1, 2, 3, 4]
        }
        #expect(bytes == [1, 2, 3, 4] && attempts.withLock { $0 } == 2)
        #expect(shared.heldCount == 1, "kept for the one read still to come")
        #expect(try await shared.bytes(key: "k") { [] } == [1, 2, 3, 4])
        #expect(shared.heldCount == 0)
        _ = try await shared.bytes(key: "once") { [9] }
        #expect(shared.heldCount == 0, "a chunk read once is never kept")
    }
}

/// A writer for release r1 on a chunked profile (256 KiB chunks) in memory, behind a counting store.
private func countedChunkedRelease(encrypted: Bool) throws -> (CountingStore, StorageStack, ReleaseWriter) {
    let counting = CountingStore(wrapping: InMemoryStore())
    let spec = ProfileSpec(
        name: "chunked", location: .local(path: "/unused"), encrypted: encrypted, chunked: true,
        chunkSize: 256 * 1024)
    let stack = try StorageStack.make(spec: spec, dataKey: encrypted ? DataKey.random() : nil, store: counting)
    return (counting, stack, try stack.makeWriter(release: ReleaseInfo(id: "r1", artist: "A", title: "T")))
}
