import CrateCore
import Crypto
import Foundation
import Testing

@testable import CrateStorage

/// The four layout × codec combinations of a profile on one kind of store (the location only
/// chooses the base store, which the factory is given).
func releaseStorageCombinations(chunkSize: Int = 256 * 1024) -> [ProfileSpec] {
    [(false, false), (false, true), (true, false), (true, true)].map { encrypted, chunked in
        ProfileSpec(
            name: "\(encrypted ? "sealed" : "plain")-\(chunked ? "chunked" : "whole")",
            location: .local(path: "/unused"), encrypted: encrypted, chunked: chunked,
            chunkSize: chunked ? chunkSize : nil)
    }
}

let conformanceDataKey = try! DataKey(bytes: Array(100..<132))

/// The `ReleaseStorage` contract as one suite, run over the four combinations, each on a fresh
/// store from `makeStore` (in memory, a local folder, later S3).
func runReleaseStorageConformance(
    includeLargeFile: Bool = true, _ makeStore: @Sendable () async throws -> any ObjectStore
) async throws {
    for spec in releaseStorageCombinations() {
        let stack = try StorageStack.make(spec: spec, dataKey: conformanceDataKey, store: try await makeStore())
        try await checkRoundTripsAndRanges(stack, spec: spec)
        try await checkResumeAndDedupe(stack, spec: spec)
        try await checkRefusals(stack)
        if includeLargeFile { try await checkLargeFile(stack) }
    }
}

/// Files whose sizes sit on every boundary of segments (64 KiB) and chunks (256 KiB).
private func conformanceFiles(chunkSize: Int) -> [(path: String, bytes: [UInt8])] {
    var sizes = [0, 1, 65_535, 65_536, 65_537, chunkSize - 1, chunkSize, chunkSize + 1, 3 * chunkSize + 12_345]
    sizes += Array(repeating: 1000, count: 20)
    return sizes.enumerated().map { index, size in
        let name = index < 9 ? "\(String(format: "%02d", index + 1)) size \(size).flac" : "scans/page \(index).jpg"
        return (name, testBytes(count: size, seed: UInt64(index + 1)))
    }.sorted { ObjectKey.precedes($0.path, $1.path) }
}

private let conformanceRelease = ReleaseInfo(
    id: "3f2a9c10-0000-4000-8000-000000000001", artist: "Nina Simone", title: "Pastel Blues", year: 1965,
    extra: ["label": "Philips"])

private func write(
    _ files: [(path: String, bytes: [UInt8])], release: ReleaseInfo, stack: StorageStack
) async throws -> (ReleaseManifest, [StorageEvent]) {
    let events = EventLog()
    let writer = try stack.makeWriter(release: release) { await events.append($0) }
    for file in files {
        try await writer.writeFile(path: file.path, size: Int64(file.bytes.count), body: BytesReader(file.bytes))
    }
    let manifest = try await writer.finish(created: Date(timeIntervalSince1970: 1_800_000_000))
    return (manifest, await events.events)
}

private func checkRoundTripsAndRanges(_ stack: StorageStack, spec: ProfileSpec) async throws {
    let chunkSize = spec.chunkSize ?? 256 * 1024
    let files = conformanceFiles(chunkSize: chunkSize)
    let (manifest, events) = try await write(files, release: conformanceRelease, stack: stack)
    let label = Comment(rawValue: spec.name)

    // Events: one per file, one per object, the manifest last.
    #expect(events.filter { if case .fileWritten = $0 { true } else { false } }.count == files.count, label)
    #expect(events.last == .manifestStored(key: "manifests/\(conformanceRelease.id)"), label)
    let stored = events.filter { if case .objectStored = $0 { true } else { false } }.count
    let streamLength = files.reduce(0) { $0 + $1.bytes.count }
    #expect(stored == (spec.chunked ? (streamLength + chunkSize - 1) / chunkSize : files.count), label)

    // The manifest reads back identical, and describes every file.
    let release = try await stack.openRelease(id: conformanceRelease.id)
    #expect(release.manifest == manifest, label)
    #expect(try await stack.releaseIDs() == [conformanceRelease.id], label)
    #expect(release.listFiles().map(\.path) == files.map(\.path), label)
    for (file, entry) in zip(files, release.listFiles()) {
        #expect(entry.size == Int64(file.bytes.count) && entry.sha256 == Array(SHA256.hash(data: file.bytes)).hex)
    }
    if spec.chunked {
        // Many small files share one chunk; a large one spans several.
        let scans = manifest.files.filter { $0.path.hasPrefix("scans/") }.map(\.index)
        let scanChunks = Set(manifest.mapping.filter { scans.contains($0.fileIndex) }.map(\.chunkID))
        #expect(scanChunks.count == 1, label)
        let big = try release.file("09 size \(3 * chunkSize + 12_345).flac")
        #expect(manifest.mapping.filter { $0.fileIndex == big.index }.count >= 4, label)
    }

    // Whole files, and ranges at every boundary.
    for file in files {
        let whole = try await release.readFile(file.path).readAll(pieceSize: 50_000) == file.bytes
        #expect(whole, "\(spec.name) \(file.path)")
        var points: Set<Int> = [0, 1, 65_535, 65_536, 65_537, file.bytes.count - 1, file.bytes.count]
        var boundary = 0
        for row in manifest.mapping.filter({ $0.fileIndex == (try? release.file(file.path).index) }) {
            boundary += Int(row.byteLength)
            points.formUnion([boundary - 1, boundary, boundary + 1])
        }
        let sorted = points.filter { $0 >= 0 && $0 <= file.bytes.count }.sorted()
        for lower in sorted {
            for upper in sorted where upper >= lower {
                let range = Int64(lower)..<Int64(upper)
                let same = try await release.readRange(file.path, range).readAll() == Array(file.bytes[lower..<upper])
                #expect(same, "\(spec.name) \(file.path) \(range)")
            }
        }
        let clipped = try await release.readRange(file.path, Int64(file.bytes.count / 2)..<Int64.max).readAll()
        let clippedSame = clipped == Array(file.bytes[(file.bytes.count / 2)...])
        #expect(clippedSame, label)
    }
    await #expect(throws: StorageError.self) { _ = try await release.readRange(files[1].path, 2..<3) }

    // Object names: readable only for plain whole-file profiles, opaque otherwise.
    let keys = try await stack.store.list(prefix: "").map(\.key)
    if !spec.encrypted && !spec.chunked {
        #expect(keys.contains("releases/Nina Simone/Pastel Blues (1965) [3f2a9c10]/01 size 0.flac"), label)
    } else {
        #expect(keys.allSatisfy { $0.hasPrefix("objects/") || $0.hasPrefix("manifests/") }, label)
    }
    if spec.encrypted {
        let manifestBytes = try await stack.store.getAll(manifest.objectKey)
        #expect(!String(decoding: manifestBytes, as: UTF8.self).contains("Simone"), "sealed manifests hide metadata")
    }

    // exists / delete.
    var mutable = release
    #expect(try await mutable.fileExists(files[3].path), label)
    #expect(try await !mutable.fileExists("nope.flac"), label)
    try await mutable.deleteFile(files[3].path)
    #expect(try await !mutable.fileExists(files[3].path), label)
    await #expect(throws: StorageError.fileNotFound(release: conformanceRelease.id, path: files[3].path)) {
        _ = try await mutable.readFile(files[3].path)
    }
    let reopened = try await stack.openRelease(id: conformanceRelease.id)
    #expect(reopened.manifest == mutable.manifest, label)
    #expect(reopened.listFiles().count == files.count - 1, label)
    for file in files where file.path != files[3].path {
        let same = try await reopened.readFile(file.path).readAll() == file.bytes
        #expect(same, label)
    }
}

private func checkResumeAndDedupe(_ stack: StorageStack, spec: ProfileSpec) async throws {
    guard spec.chunked else { return }
    let files = conformanceFiles(chunkSize: spec.chunkSize!)
    let copy = ReleaseInfo(id: "second-copy", artist: "Nina Simone", title: "Pastel Blues", year: 1965)
    let (_, events) = try await write(files, release: copy, stack: stack)
    let stored = events.filter { if case .objectStored = $0 { true } else { false } }
    let skipped = events.filter { if case .objectSkipped = $0 { true } else { false } }
    #expect(stored.isEmpty && !skipped.isEmpty, "identical chunks are stored once (\(spec.name))")
}

private func checkRefusals(_ stack: StorageStack) async throws {
    let writer = try stack.makeWriter(release: ReleaseInfo(id: "refusals", artist: "A", title: "T"))
    try await writer.writeFile(path: "b.flac", size: 3, body: BytesReader([1, 2, 3]))
    await #expect(throws: StorageError.filesOutOfOrder(previous: "b.flac", next: "a.flac")) {
        try await writer.writeFile(path: "a.flac", size: 1, body: BytesReader([1]))
    }
    await #expect(throws: StorageError.invalidFilePath("../x")) {
        try await writer.writeFile(path: "../x", size: 1, body: BytesReader([1]))
    }
    await #expect(throws: StorageError.fileSizeChanged(path: "c.flac", expected: 10, actual: 3)) {
        try await writer.writeFile(path: "c.flac", size: 10, body: BytesReader([1, 2, 3]))
    }
    await #expect(throws: StorageError.writerFailed(release: "refusals")) {
        try await writer.writeFile(path: "d.flac", size: 1, body: BytesReader([1]))
    }
    await #expect(throws: StorageError.writerFailed(release: "refusals")) { _ = try await writer.finish() }
    #expect(throws: StorageError.self) {
        try stack.makeWriter(release: ReleaseInfo(id: "../x", artist: "A", title: "T"))
    }
}

private func checkLargeFile(_ stack: StorageStack) async throws {
    let size = 50 << 20
    let writer = try stack.makeWriter(release: ReleaseInfo(id: "large", artist: "A", title: "Large"))
    let file = try await writer.writeFile(
        path: "large.wav", size: Int64(size), body: GeneratedReader(count: size, seed: 42))
    _ = try await writer.finish()
    var expected = SHA256()
    let generator = GeneratedReader(count: size, seed: 42)
    while case let piece = try await generator.read(upTo: 1 << 20), !piece.isEmpty { expected.update(data: piece) }
    #expect(file.sha256 == Array(expected.finalize()).hex)
    let release = try await stack.openRelease(id: "large")
    let reader = try await release.readFile("large.wav")
    var actual = SHA256()
    var count = 0
    while case let piece = try await reader.read(upTo: 1 << 20), !piece.isEmpty {
        actual.update(data: piece)
        count += piece.count
    }
    #expect(count == size && Array(actual.finalize()).hex == file.sha256)
}

/// Collects events from the writer's callback.
actor EventLog {
    var events: [StorageEvent] = []
    func append(_ event: StorageEvent) { events.append(event) }
}
