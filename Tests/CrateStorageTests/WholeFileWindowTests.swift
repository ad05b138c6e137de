import CrateCore
import Foundation
import Synchronization
import Testing

@testable import CrateStorage

/// The release writer overlaps whole-file puts (`ObjectWindow`): `writeFile` returns once a
/// file's body is read, while its put finishes beside the next ones. These check what that must
/// not break: a bound on puts in flight, objects reported in file order, and a failed put
/// cancelling the others cleanly, with every object that did land reported.
@Suite struct WholeFileWindowTests {
    static let spec = ProfileSpec(name: "files", location: .local(path: "/unused"), encrypted: true, chunked: false)
    static let release = ReleaseInfo(id: "9c1e", artist: "Pharoah Sanders", title: "Karma", year: 1969)
    static let files = (0..<24).map {
        (path: String(format: "%02d.flac", $0), bytes: testBytes(count: 3000 + $0, seed: UInt64($0)))
    }

    @Test func putsOverlapWithinTheBoundAndAreReportedInFileOrder() async throws {
        let store = DelayingStore(base: InMemoryStore(), failingPut: nil)
        let stack = try StorageStack.make(spec: Self.spec, dataKey: conformanceDataKey, store: store)
        let events = EventLog()
        let writer = try stack.makeWriter(release: Self.release) { await events.append($0) }
        for file in Self.files {
            try await writer.writeFile(path: file.path, size: Int64(file.bytes.count), body: BytesReader(file.bytes))
        }
        let manifest = try await writer.finish()

        let peak = store.peakPutsInFlight
        #expect(peak > 1, "puts should overlap (peak \(peak))")
        #expect(peak <= ReleaseWriter.maxFilesInFlight, "peak puts in flight \(peak)")
        let reported = await events.events.compactMap { event -> String? in
            if case .objectStored(let object) = event, case .file(let path, _, _) = object.kind { return path }
            return nil
        }
        #expect(reported == Self.files.map(\.path))
        #expect(await events.events.last == .manifestStored(key: "manifests/\(Self.release.id)"))
        #expect(manifest.files.map(\.path) == Self.files.map(\.path))
        let release = try await stack.openRelease(id: Self.release.id)
        for file in Self.files { #expect(try await release.readFile(file.path).readAll() == file.bytes) }
    }

    @Test func aFailedPutCancelsTheOthersAndReportsWhatWasStored() async throws {
        let base = InMemoryStore()
        let store = DelayingStore(base: base, failingPut: 9)
        let stack = try StorageStack.make(spec: Self.spec, dataKey: conformanceDataKey, store: store)
        let events = EventLog()
        let writer = try stack.makeWriter(release: Self.release) { await events.append($0) }
        await #expect(throws: TestFailure.self) {
            for file in Self.files {
                try await writer.writeFile(
                    path: file.path, size: Int64(file.bytes.count), body: BytesReader(file.bytes))
            }
            _ = try await writer.finish()
        }
        // Nothing is left running, every object that landed was reported, and the writer is done.
        #expect(store.putsInFlight == 0)
        let reported = Set(
            await events.events.compactMap { event -> String? in
                if case .objectStored(let object) = event { return object.key }
                return nil
            })
        #expect(Set(try await base.list(prefix: "").map(\.key)) == reported)
        #expect(reported.count < Self.files.count)
        await #expect(throws: StorageError.writerFailed(release: Self.release.id)) {
            try await writer.writeFile(path: "zz.flac", size: 1, body: BytesReader([1]))
        }
    }
}

/// Puts that read their body, then take a few milliseconds; counts puts in flight, and fails the
/// put with the given sequence number (0-based).
private final class DelayingStore: StoreWrapper, Sendable {
    let base: any ObjectStore
    let failingPut: Int?
    private let state = Mutex<(started: Int, current: Int, peak: Int)>((0, 0, 0))

    init(base: InMemoryStore, failingPut: Int?) {
        self.base = base
        self.failingPut = failingPut
    }

    var peakPutsInFlight: Int { state.withLock { $0.peak } }
    var putsInFlight: Int { state.withLock { $0.current } }

    func put(_ key: String, body: any ByteReader, size: Int64?) async throws {
        let number = state.withLock { state in
            state.current += 1
            state.peak = max(state.peak, state.current)
            state.started += 1
            return state.started - 1
        }
        defer { state.withLock { $0.current -= 1 } }
        let bytes = try await body.readAll()
        try await Task.sleep(for: .milliseconds(number == failingPut ? 5 : 20))
        if number == failingPut { throw TestFailure() }
        try await base.put(key, bytes: bytes)
    }

}
