import CrateCore
import Testing

@testable import CrateStorage

/// Damage to a stored release is reported with the specific error, naming the object or file.
@Suite struct ReleaseStorageTamperTests {
    func stack(encrypted: Bool, chunked: Bool, store: InMemoryStore) throws -> StorageStack {
        let spec = ProfileSpec(
            name: "t", location: .local(path: "/unused"), encrypted: encrypted, chunked: chunked,
            chunkSize: chunked ? 256 * 1024 : nil)
        return try StorageStack.make(spec: spec, dataKey: conformanceDataKey, store: store)
    }

    func writeRelease(_ stack: StorageStack) async throws -> ReleaseStorage {
        let writer = try stack.makeWriter(release: ReleaseInfo(id: "tamper", artist: "A", title: "T"))
        try await writer.writeFile(path: "a.flac", size: 600_000, body: BytesReader(testBytes(count: 600_000, seed: 1)))
        try await writer.writeFile(path: "b.flac", size: 300_000, body: BytesReader(testBytes(count: 300_000, seed: 2)))
        return ReleaseStorage(stack: stack, manifest: try await writer.finish())
    }

    @Test func swappedChunksFailAuthentication() async throws {
        let memory = InMemoryStore()
        let release = try await writeRelease(try stack(encrypted: true, chunked: true, store: memory))
        let first = release.manifest.chunks[0].objectKey
        let second = release.manifest.chunks[1].objectKey
        let firstBytes = try await memory.getAll(first)
        memory.overwriteRaw(first, bytes: try await memory.getAll(second))
        memory.overwriteRaw(second, bytes: firstBytes)
        await #expect(throws: StorageError.authenticationFailed(key: first, segment: 0)) {
            _ = try await release.readFile("a.flac").readAll()
        }
    }

    @Test func aTruncatedFileObjectIsNamed() async throws {
        let memory = InMemoryStore()
        let release = try await writeRelease(try stack(encrypted: true, chunked: false, store: memory))
        let key = try #require(try release.file("b.flac").objectKey)
        let bytes = try await memory.getAll(key)
        memory.overwriteRaw(key, bytes: Array(bytes.prefix(24 + 2 * 65_552)))
        await #expect(throws: StorageError.truncated(key: key, reason: "segment 2 is missing")) {
            _ = try await release.readFile("b.flac").readAll()
        }
        memory.overwriteRaw(key, bytes: Array(bytes.prefix(24 + 2 * 65_552 + 500)))
        await #expect(throws: StorageError.truncated(key: key, reason: "it ends inside segment 2")) {
            _ = try await release.readFile("b.flac").readAll()
        }
    }

    @Test func aFlippedPlainChunkFailsBeforeAnyOfItsBytesAreReturned() async throws {
        let memory = InMemoryStore()
        let release = try await writeRelease(try stack(encrypted: false, chunked: true, store: memory))
        let chunk = release.manifest.chunks[1]  // a.flac's bytes 262144..<524288
        var bytes = try await memory.getAll(chunk.objectKey)
        bytes[10] ^= 0x01
        memory.overwriteRaw(chunk.objectKey, bytes: bytes)
        let expected = StorageError.chunkMismatch(
            release: "tamper", path: "a.flac", chunk: chunk.id, key: chunk.objectKey)
        // A range inside the chunk, but away from the flipped byte: still refused.
        await #expect(throws: expected) { _ = try await release.readRange("a.flac", 300_000..<300_010).readAll() }
        // A whole read hands out the first chunk, then fails before the damaged one's bytes.
        let reader = try await release.readFile("a.flac", verify: false)
        var handedOut = 0
        await #expect(throws: expected) {
            while true {
                let piece = try await reader.read(upTo: 64 << 10)
                if piece.isEmpty { break }
                handedOut += piece.count
            }
        }
        #expect(handedOut <= 262_144, "no byte of the damaged chunk was returned")
        #expect(expected.description.contains("a.flac") && expected.description.contains("tamper"))
        // A range in an intact chunk still reads.
        #expect(try await release.readRange("a.flac", 0..<10).readAll() == Array(testBytes(count: 10, seed: 1)))
    }

    @Test func aChangedPlainFileFailsItsHash() async throws {
        let memory = InMemoryStore()
        let release = try await writeRelease(try stack(encrypted: false, chunked: false, store: memory))
        let key = try #require(try release.file("a.flac").objectKey)
        var bytes = try await memory.getAll(key)
        bytes[1234] ^= 0x80
        memory.overwriteRaw(key, bytes: bytes)
        await #expect(throws: StorageError.fileMismatch(release: "tamper", path: "a.flac")) {
            _ = try await release.readFile("a.flac").readAll()
        }
        memory.overwriteRaw(key, bytes: Array(bytes.prefix(1000)))
        await #expect(throws: StorageError.truncated(key: key, reason: "it ends 599000 bytes early")) {
            _ = try await release.readFile("a.flac").readAll()
        }
    }
}

/// An interrupted import resumes without storing again what is already stored.
@Suite struct ReleaseWriterResumeTests {
    @Test(arguments: [false, true])
    func wholeFilesRecordedBeforeAnInterruptionAreKept(encrypted: Bool) async throws {
        let counting = CountingStore(wrapping: InMemoryStore())
        let spec = ProfileSpec(name: "r", location: .local(path: "/unused"), encrypted: encrypted, chunked: false)
        let stack = try StorageStack.make(spec: spec, dataKey: conformanceDataKey, store: counting)
        let release = ReleaseInfo(id: "resume", artist: "A", title: "T")
        let first = try stack.makeWriter(release: release)
        let kept = try await first.writeFile(path: "a.flac", size: 5, body: BytesReader([1, 2, 3, 4, 5]))
        let changed = try await first.writeFile(path: "b.flac", size: 3, body: BytesReader([7, 7, 7]))
        // `writeFile` returns once the body is read; the puts have landed once `drain` returns.
        try await first.drain()
        // Interrupted here: `first` never finishes. b.flac changes (same size) before the resume.
        counting.reset()
        let events = EventLog()
        let second = try stack.makeWriter(
            release: release,
            resuming: [kept.objectKey!: kept.sha256, changed.objectKey!: changed.sha256]
        ) { await events.append($0) }
        try await second.writeFile(path: "a.flac", size: 5) { BytesReader([1, 2, 3, 4, 5]) }
        try await second.writeFile(path: "b.flac", size: 3) { BytesReader([8, 8, 8]) }
        try await second.writeFile(path: "c.flac", size: 1, body: BytesReader([9]))
        let manifest = try await second.finish()
        let log = await events.events
        #expect(
            log.contains(
                .objectSkipped(
                    StoredObject(
                        key: kept.objectKey!, kind: .file(path: "a.flac", index: 0, sha256: kept.sha256),
                        plaintextSize: 5,
                        storedSize: kept.storedSize!))))
        #expect(counting.counts.puts == 3, "b.flac and c.flac stored again, and the manifest; a.flac kept")
        let storage = ReleaseStorage(stack: stack, manifest: manifest)
        #expect(try await storage.readFile("a.flac").readAll() == [1, 2, 3, 4, 5])
        #expect(try await storage.readFile("b.flac").readAll() == [8, 8, 8])
    }

    /// A copy knows each file's hash from the source manifest: a kept object is not even read.
    @Test func aKnownHashKeepsAWholeFileWithoutReadingIt() async throws {
        let memory = InMemoryStore()
        let spec = ProfileSpec(name: "r", location: .local(path: "/unused"), encrypted: true, chunked: false)
        let stack = try StorageStack.make(spec: spec, dataKey: conformanceDataKey, store: memory)
        let release = ReleaseInfo(id: "resume", artist: "A", title: "T")
        let first = try stack.makeWriter(release: release)
        let kept = try await first.writeFile(path: "a.flac", size: 5, body: BytesReader([1, 2, 3, 4, 5]))
        try await first.drain()
        let second = try stack.makeWriter(release: release, resuming: [kept.objectKey!: kept.sha256])
        try await second.writeFile(path: "a.flac", size: 5, sha256: kept.sha256) {
            FailingReader(bytes: [], failAfter: 0)
        }
        let manifest = try await second.finish()
        #expect(
            try await ReleaseStorage(stack: stack, manifest: manifest).readFile("a.flac").readAll() == [1, 2, 3, 4, 5])
    }

    @Test func chunksStoredBeforeAnInterruptionAreSkipped() async throws {
        let counting = CountingStore(wrapping: InMemoryStore())
        let spec = ProfileSpec(
            name: "r", location: .local(path: "/unused"), encrypted: true, chunked: true, chunkSize: 256 * 1024)
        let stack = try StorageStack.make(spec: spec, dataKey: conformanceDataKey, store: counting)
        let release = ReleaseInfo(id: "resume", artist: "A", title: "T")
        let bytes = testBytes(count: 1 << 20, seed: 3)
        let first = try stack.makeWriter(release: release)
        await #expect(throws: TestFailure.self) {
            try await first.writeFile(
                path: "a.flac", size: 1 << 20, body: FailingReader(bytes: bytes, failAfter: 600_000))
        }
        #expect(counting.counts.puts == 2, "two full chunks were stored before the failure")
        counting.reset()
        let events = EventLog()
        let second = try stack.makeWriter(release: release) { await events.append($0) }
        try await second.writeFile(path: "a.flac", size: 1 << 20, body: BytesReader(bytes))
        _ = try await second.finish()
        let log = await events.events
        #expect(log.filter { if case .objectSkipped = $0 { true } else { false } }.count == 2)
        #expect(log.filter { if case .objectStored = $0 { true } else { false } }.count == 2)
        #expect(counting.counts.puts == 3, "two new chunks and the manifest")
    }
}
