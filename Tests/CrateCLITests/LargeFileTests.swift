import Foundation
import Testing

/// A sparse file just over 4 GiB through a plain chunked local profile: sizes, hashes and
/// offsets past 2^32 must survive every layer (a 32-bit truncation anywhere would show up as a
/// wrong size or as bytes read from the wrong place). Its zero chunks are one object, stored
/// once, so the profile holds a few chunks rather than 4 GiB.
@Suite struct LargeFileTests {
    static let fourGiB: Int64 = 1 << 32
    static let size = fourGiB + (200 << 20) + 12_345
    /// Text written into the sparse file: low (where a truncated offset would land), across the
    /// 4 GiB line (which is also a chunk border), past it, and at the very end.
    static let marks: [(offset: Int64, text: String)] = [
        (5, "low mark"), (fourGiB - 4, "across 4 GiB"), (fourGiB + 4_096, "past 4 GiB"), (size - 8, "the end!"),
    ]
    /// SHA-256 of that file, computed once outside Crate (Python's hashlib over the same zeros
    /// and marks): hashing 4 GiB again in every run would double the test's time.
    static let sha256 = "34abac88fe022f2fe363f33105cf31745fdf577c55932edf8cd1782c3a207a2f"

    @Test func aSparseFileOver4GiBImportsAndReadsBackPastTheLine() async throws {
        let crate = try CrateProcess()
        defer { crate.removeHome() }
        let album = crate.home + "/Huge - Tape (2025)"
        try FileManager.default.createDirectory(atPath: album, withIntermediateDirectories: true)
        let path = album + "/side-a.bin"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(Self.size))
        for mark in Self.marks {
            try handle.seek(toOffset: UInt64(mark.offset))
            try handle.write(contentsOf: Data(mark.text.utf8))
        }
        try handle.close()

        let added = try await crate.run([
            "profile", "add", "big", "--local", crate.home + "/store", "--chunked", "--chunk-size", "64MiB",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let imported = try await crate.run(["import", album])
        #expect(imported.status == 0, "\(imported.stderr)")

        let catalogPath = crate.home + "/catalog.sqlite"
        let id = try await CatalogFile.query(catalogPath, "SELECT id FROM releases")
        let show = try await crate.run(["show", id, "--json"])
        let detail = try #require(
            try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any], "\(show.stderr)")
        #expect((detail["bytes"] as? NSNumber)?.int64Value == Self.size)
        let files = detail["files"] as? [[String: Any]] ?? []
        #expect((files.first?["size"] as? NSNumber)?.int64Value == Self.size)
        #expect(files.first?["sha256"] as? String == Self.sha256)
        #expect(try await CatalogFile.query(catalogPath, "SELECT SUM(byte_length) FROM file_chunks") == "\(Self.size)")

        for mark in Self.marks {
            let end = mark.offset + Int64(mark.text.utf8.count) - 1
            let cat = try await crate.run(["cat", id, "side-a.bin", "--range", "\(mark.offset)-\(end)"])
            #expect(cat.status == 0, "\(cat.stderr)")
            #expect(cat.stdout == mark.text, "at \(mark.offset)")
        }
        let zeros = try await crate.run([
            "cat", id, "side-a.bin", "--range", "\(Self.fourGiB + 8_192)-\(Self.fourGiB + 8_199)",
        ])
        #expect(zeros.stdout == String(repeating: "\0", count: 8))

        // 68 chunks of the stream, stored as a handful of objects: the zero chunk once.
        let stored = try FileManager.default.subpathsOfDirectory(atPath: crate.home + "/store/objects")
            .filter { $0.split(separator: "/").count == 3 }
        #expect(stored.count <= 6, "\(stored.count) objects")
    }
}
