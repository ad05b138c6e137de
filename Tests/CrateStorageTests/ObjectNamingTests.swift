import Foundation
import Testing

@testable import CrateStorage

@Suite struct ObjectNamingTests {
    let key = try! DataKey(bytes: Array(0..<32))
    let plaintext = Array("Crate test vector\n".utf8)

    @Test func idsMatchTheDocumentedTestVectors() throws {
        let sealed = ObjectNaming(identifierKey: key.identifierKey, chunked: true)
        let plain = ObjectNaming(identifierKey: nil, chunked: true)
        let vectors = [
            key.sealingKey.hex, key.identifierKey.hex, sealed.chunkID(plaintext), plain.chunkID(plaintext),
            sealed.fileKey(release: ReleaseInfo(id: "r1", artist: "A", title: "T"), path: "01 Intro.flac"),
        ]
        #expect(vectors[0] == "ea8c23f1cf15e1e3d7f45771278cb451d78c182bff89e747f2c365e14f048cf1")
        #expect(vectors[1] == "b8eb87ceaf8c33744014e3985ac6aa0cc4042a9ab1a65822e604ead9a8f66caa")
        #expect(vectors[2] == "18308da14fc32e583f03c282c44c177903b8ee389ce3c02ade5effdd52f138a5")
        #expect(vectors[3] == "d678beaf093d8ddf648a2eab02741cc2c2c610c445571672f865846d5fcf3aed")
        #expect(vectors[4] == "objects/be/1a/be1a73ceb468a23e8049ac6f15d810113a73e13ef54959afb9f85e28514c211b")
        let document = try storageFormatDocument()
        for vector in vectors {
            #expect(document.contains(String(vector.split(separator: "/").last!)), "\(vector) is in the spec")
        }
    }

    @Test func readableNamesAreSanitised() {
        let naming = ObjectNaming(identifierKey: nil, chunked: false)
        let release = ReleaseInfo(id: "0123456789", artist: "AC/DC", title: "..Back in Black\u{7}  ", year: 1980)
        #expect(
            naming.fileKey(release: release, path: "CD1/01.flac")
                == "releases/AC-DC/Back in Black (1980) [01234567]/CD1/01.flac")
        let anonymous = ReleaseInfo(id: "abcdef", artist: " ", title: "...")
        #expect(naming.fileKey(release: anonymous, path: "a") == "releases/Unknown Artist/Untitled [abcdef]/a")
    }

    @Test func sealedNamesRevealNothing() {
        let naming = ObjectNaming(identifierKey: key.identifierKey, chunked: false)
        let name = naming.fileKey(
            release: ReleaseInfo(id: "r", artist: "Björk", title: "Post"), path: "01 Army of Me.flac")
        #expect(name.hasPrefix("objects/") && !name.contains("Army") && !name.contains("Post"))
        let other = ObjectNaming(identifierKey: DataKey.random().identifierKey, chunked: false)
        #expect(
            other.fileKey(release: ReleaseInfo(id: "r", artist: "Björk", title: "Post"), path: "01 Army of Me.flac")
                != name)
    }
}

/// The text of docs/storage-format.md, whose test vectors the suite checks.
func storageFormatDocument() throws -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    return try String(contentsOf: root.appendingPathComponent("docs/storage-format.md"), encoding: .utf8)
}
