import CrateCore
import Foundation
import GRDB
import Testing

@testable import CrateCatalog

@Suite struct CatalogProfileTests {
    let directory: TemporaryDirectory
    let catalog: Catalog

    init() throws {
        directory = try TemporaryDirectory()
        catalog = try Catalog.inMemory()
    }

    func local(_ name: String, encrypted: Bool = false, chunked: Bool = false, chunkSize: Int? = nil) -> ProfileSpec {
        ProfileSpec(
            name: name, location: .local(path: directory.path + "/" + name), encrypted: encrypted, chunked: chunked,
            chunkSize: chunkSize)
    }

    func s3(_ name: String, bucket: String = "music", endpoint: String = "http://127.0.0.1:9000") -> ProfileSpec {
        ProfileSpec(
            name: name, location: .s3(.init(endpoint: endpoint, region: "us-east-1", bucket: bucket, prefix: "crate")),
            encrypted: true, chunked: true)
    }

    @Test func storesAllEightCombinations() throws {
        for location in ["local", "s3"] {
            for encrypted in [false, true] {
                for chunked in [false, true] {
                    let name = "\(location)-\(encrypted ? "sealed" : "plain")-\(chunked ? "chunked" : "whole")"
                    var spec = location == "local" ? local(name) : s3(name)
                    spec.encrypted = encrypted
                    spec.chunked = chunked
                    spec.chunkSize = chunked ? 1 << 20 : nil
                    try catalog.addProfile(spec)
                }
            }
        }
        let profiles = try catalog.profiles()
        #expect(profiles.count == 8)
        let roundTripped = profiles.first { $0.name == "s3-sealed-chunked" }?.spec
        #expect(roundTripped?.location == s3("x").location)
        #expect(roundTripped?.chunkSize == 1 << 20)
        #expect(profiles.first { $0.name == "local-plain-whole" }?.chunkSize == nil)
    }

    @Test func theFirstProfileBecomesDefaultAndDefaultMoves() throws {
        try catalog.addProfile(local("a"))
        try catalog.addProfile(local("b"))
        #expect(try catalog.defaultProfile()?.name == "a")
        try catalog.setDefaultProfile(named: "b")
        #expect(try catalog.defaultProfile()?.name == "b")
        #expect(try catalog.profiles().filter(\.isDefault).count == 1)
        try catalog.addProfile(local("c"), makeDefault: true)
        #expect(try catalog.profiles().filter(\.isDefault).map(\.name) == ["c"])
    }

    @Test func editsAProfile() throws {
        try catalog.addProfile(local("a"))
        var spec = local("renamed", chunked: true, chunkSize: 512 << 10)
        spec.location = .local(path: directory.path + "/elsewhere")
        try catalog.updateProfile(named: "a", to: spec)
        let record = try catalog.profile(named: "renamed")
        #expect(record.spec == spec)
        #expect(throws: CatalogError.unknownProfile("a", known: ["renamed"])) { try catalog.profile(named: "a") }
    }

    @Test func refusesADuplicateName() throws {
        try catalog.addProfile(local("a"))
        try catalog.addProfile(local("b"))
        #expect(throws: CatalogError.invalidProfile(.duplicateName("a"))) { try catalog.addProfile(local("a")) }
        #expect(throws: CatalogError.invalidProfile(.duplicateName("b"))) {
            try catalog.updateProfile(named: "a", to: local("b"))
        }
    }

    @Test func refusesRemovingAProfileInUseAndNamesTheRelease() throws {
        let profile = try catalog.addProfile(local("home"))
        try catalog.writer.write { db in
            var release = ReleaseRecord(
                id: "abcdef0123456789", artist: "Nina Simone", title: "Pastel Blues", year: 1965,
                folderName: "x", contentHash: "h", totalBytes: 10)
            try release.insert(db)
            var copy = ReleaseStorageRecord(
                releaseId: "abcdef0123456789", profileId: profile.id!, state: .stored, manifestKey: "manifests/x")
            try copy.insert(db)
        }
        let error = #expect(throws: CatalogError.self) { try catalog.removeProfile(named: "home") }
        #expect(error?.description.contains("Nina Simone - Pastel Blues [abcdef01]") == true)
        #expect(throws: CatalogError.layoutChangeRefused("home", releaseCount: 1)) {
            try catalog.updateProfile(named: "home", to: local("home", encrypted: true))
        }
        // Location changes stay allowed: a user may move the folder.
        try catalog.updateProfile(named: "home", to: local("home2"))
        #expect(try catalog.profiles().count == 1)
    }

    @Test func removesAnUnusedProfile() throws {
        try catalog.addProfile(local("a"))
        try catalog.removeProfile(named: "a")
        #expect(try catalog.profiles().isEmpty)
        #expect(throws: CatalogError.unknownProfile("a", known: [])) { try catalog.removeProfile(named: "a") }
    }

    @Test func keepsTheWrappedKey() throws {
        try catalog.addProfile(local("a", encrypted: true), keyId: "k1", wrappedKey: "{\"kdf\":\"scrypt\"}")
        #expect(try catalog.profile(named: "a").wrappedKey == "{\"kdf\":\"scrypt\"}")
        try catalog.setWrappedKey(profile: "a", keyId: "k2", wrappedKey: "{}")
        #expect(try catalog.profile(named: "a").keyId == "k2")
    }
}
