import CrateCore
import Foundation
import Testing

@testable import CrateStorage

@Suite struct ProfileDescriptorTests {
    @Test func roundTripsThroughAStore() async throws {
        let store = InMemoryStore()
        #expect(try await ProfileDescriptor.read(from: store) == nil)
        // A space never occurs in base64 or hex: "pw" did, in one random salt out of ~40.
        let passphrase = "pass phrase"
        let (_, wrapped) = try ProfileKeys.create(passphrase: passphrase, profileName: "s", params: .forTesting())
        let spec = ProfileSpec(name: "s", location: .local(path: "/tmp/x"), encrypted: true, chunked: true)
        let descriptor = ProfileDescriptor(
            spec: spec, wrappedKey: wrapped, created: Date(timeIntervalSince1970: 1_800_000_000))
        try await descriptor.write(to: store)
        let read = try #require(try await ProfileDescriptor.read(from: store))
        #expect(read == descriptor)
        #expect(read.matches(spec))
        #expect(read.chunkSize == 4 << 20)
        let text = String(decoding: try await store.getAll("crate-profile.json"), as: UTF8.self)
        #expect(text.contains("\"created\" : \"2027-01-15T08:00:00Z\""))
        #expect(text.contains("\"n\" : 1024"))
        #expect(!text.contains(passphrase))
    }

    @Test func refusesUnknownVersionsAndGarbage() async throws {
        let store = InMemoryStore()
        try await store.put("crate-profile.json", bytes: Array(#"{"formatVersion": 9}"#.utf8))
        await #expect(throws: StorageError.self) { _ = try await ProfileDescriptor.read(from: store) }
        var plain = ProfileDescriptor(
            spec: ProfileSpec(name: "p", location: .local(path: "/x"), encrypted: false, chunked: false),
            wrappedKey: nil)
        plain.formatVersion = 9
        try await store.put("crate-profile.json", bytes: try plain.jsonBytes())
        await #expect(throws: StorageError.unsupportedDocumentVersion(key: "crate-profile.json", version: 9)) {
            _ = try await ProfileDescriptor.read(from: store)
        }
    }
}
