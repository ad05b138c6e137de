import CrateCatalog
import CrateImporter
import CrateStorage
import Foundation
import Synchronization
import Testing

/// A local profile whose disk fills up mid-import: the job stops with a message naming the
/// profile, its folder and what to do, leaves no partial object, keeps the releases already on
/// the profile intact, and resumes to the end once space is freed.
@Suite struct ImportDiskFullTests {
    @Test func aFullDiskStopsTheJobCleanlyAndItResumesOnceSpaceIsFreed() async throws {
        var harness = try ImportHarness()
        let disk = try SmallDisk(at: harness.scratch.path + "/disk", capacity: 8 << 20)
        defer { disk.unmount() }
        if let space = disk.simulated { harness.opener.wrapStore = { SpaceLimitedStore(wrapping: $0, space: space) } }
        let folder = disk.path + "/profile"
        try await harness.addProfile("small", chunked: true, chunkSize: 1 << 20, folder: folder)
        let (first, _) = try await harness.importFolder(Fixtures.album, profile: "small")
        let earlier = try #require(first.releaseId)

        let album = harness.scratch.path + "/Too Big - Album (2025)"
        try FileManager.default.createDirectory(atPath: album, withIntermediateDirectories: true)
        for index in 1...4 {
            try Data(pseudoRandomBytes(3 << 19, seed: UInt64(40 + index))).write(
                to: URL(fileURLWithPath: album + "/0\(index).wav"))
        }
        try disk.fill(leaving: 3 << 20)
        let job = try harness.importer.prepare(source: album, profileName: "small")
        let stopped = await harness.importer.run(jobId: job.id) { _ in }
        #expect(
            stopped
                == .interrupted(
                    message: "disk full on profile small at \(folder) (No space left on device); free space there "
                        + "and run `crate import --resume` (what is stored is kept), or import into another profile "
                        + "with --profile"))
        #expect(disk.simulated != nil || disk.temporaryFiles().isEmpty, "partial objects left")
        #expect(try harness.catalog.releases().map(\.release.id) == [earlier])
        #expect(try harness.catalog.unfinishedJobs().map(\.id) == [job.id])
        #expect(try harness.catalog.integrityCheck() == "ok")
        try await Self.expectIntact(earlier, equals: Fixtures.album, harness: harness)

        disk.free()
        let events = EventLog()
        let resumed = await harness.importer.run(jobId: job.id) { await events.append($0) }
        let id = try #require(resumed.releaseId, "\(resumed)")
        let skipped = await events.all.filter { if case .object(_, _, _, _, true) = $0 { true } else { false } }
        #expect(!skipped.isEmpty, "the chunks stored before the disk filled are kept")
        try await Self.expectIntact(id, equals: album, harness: harness)
        try await Self.expectIntact(earlier, equals: Fixtures.album, harness: harness)
        #expect(try harness.catalog.unfinishedJobs().isEmpty)
    }

    /// The release reads back byte-identical to `folder` and verifies clean.
    static func expectIntact(_ id: String, equals folder: String, harness: ImportHarness) async throws {
        #expect(try await harness.exportHashes(release: id, profile: "small") == (try ImportHarness.hashes(of: folder)))
        let reports = try await ReleaseVerifier(catalog: harness.catalog, opener: harness.opener).verify(release: id)
        #expect(!reports.isEmpty && reports.allSatisfy(\.isSound), "\(reports)")
    }
}

/// A small file system for a profile: a tmpfs of `capacity` bytes when this process may mount
/// one (root with CAP_SYS_ADMIN, as in the CI container), else an ordinary folder whose store
/// the test wraps in a `SpaceLimitedStore` of that capacity (`simulated`).
final class SmallDisk {
    let path: String
    /// The space budget when no tmpfs could be mounted.
    let simulated: FreeSpace?
    private var filler: Int64 = 0

    init(at path: String, capacity: Int64) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        simulated = mount("tmpfs", path, "tmpfs", 0, "size=\(capacity),mode=0700") == 0 ? nil : FreeSpace(capacity)
    }

    /// Takes space away until only `bytes` are left, as another program filling the disk would.
    func fill(leaving bytes: Int64) throws {
        if let simulated {
            filler = simulated.take(all: bytes)
            return
        }
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { throw POSIXError(.EIO) }
        filler = Int64(info.f_bavail) * Int64(info.f_frsize) - bytes
        try Data(count: Int(filler)).write(to: URL(fileURLWithPath: path + "/filler"))
    }

    /// Gives the space `fill` took back.
    func free() {
        simulated?.give(filler)
        unlink(path + "/filler")
    }

    /// Temporary files a put left behind (`LocalDirectoryStore` names them `.crate-tmp-…`).
    func temporaryFiles() -> [String] {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
            .filter { ($0 as NSString).lastPathComponent.hasPrefix(".crate-tmp-") }
    }

    func unmount() {
        if simulated == nil { umount2(path, Int32(MNT_DETACH)) }
    }
}

/// Bytes left on a simulated disk.
final class FreeSpace: Sendable {
    private let available: Mutex<Int64>

    init(_ bytes: Int64) { available = Mutex(bytes) }

    /// Takes `bytes` if that many are left.
    func take(_ bytes: Int64) -> Bool {
        available.withLock { left in
            guard bytes <= left else { return false }
            left -= bytes
            return true
        }
    }

    /// Takes all but `leaving` bytes; returns how many it took.
    func take(all leaving: Int64) -> Int64 {
        available.withLock { left in
            defer { left = leaving }
            return left - leaving
        }
    }

    func give(_ bytes: Int64) { available.withLock { $0 += bytes } }
}

/// A store on a simulated small disk: a put that does not fit fails as a full local disk does
/// (`ENOSPC`), leaving no object.
struct SpaceLimitedStore: StoreWrapper {
    let base: any ObjectStore
    let space: FreeSpace

    init(wrapping base: any ObjectStore, space: FreeSpace) {
        self.base = base
        self.space = space
    }

    func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        let bytes = try await body.readAll()
        guard space.take(Int64(bytes.count)) else {
            throw StorageError.io(operation: "write", path: key, errno: ENOSPC)
        }
        try await base.put(key, bytes: bytes)
    }
}
