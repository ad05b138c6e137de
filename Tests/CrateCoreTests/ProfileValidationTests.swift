import Foundation
import Testing

@testable import CrateCore

@Suite struct ProfileValidationTests {
    func local(_ path: String, chunked: Bool = false, chunkSize: Int? = nil) -> ProfileSpec {
        ProfileSpec(name: "p", location: .local(path: path), encrypted: false, chunked: chunked, chunkSize: chunkSize)
    }

    func s3(endpoint: String = "http://127.0.0.1:9000", bucket: String = "music", region: String = "us-east-1")
        -> ProfileSpec
    {
        ProfileSpec(
            name: "p", location: .s3(.init(endpoint: endpoint, region: region, bucket: bucket)), encrypted: false,
            chunked: false)
    }

    func message(_ spec: ProfileSpec) -> String? {
        do {
            try spec.validate()
            return nil
        } catch {
            return error.description
        }
    }

    @Test func acceptsGoodProfiles() throws {
        try local("/tmp/crate-new-folder/deeper").validate()
        try local("/tmp", chunked: true).validate()
        try local("/tmp", chunked: true, chunkSize: 64 << 20).validate()
        try s3().validate()
        try s3(endpoint: "https://s3.eu-central-1.amazonaws.com", bucket: "my.music-archive-01").validate()
    }

    @Test func namesEveryProblem() throws {
        var unnamed = local("/tmp")
        unnamed.name = "  "
        #expect(message(unnamed)?.contains("the profile name is empty") == true)
        var oddName = local("/tmp")
        oddName.name = "my profile"
        #expect(message(oddName)?.contains("may hold only letters") == true)
        #expect(message(local("music"))?.contains("\"music\" is relative; give an absolute path") == true)
        #expect(message(local("/etc/passwd"))?.contains("exists and is not a folder") == true)
        #expect(message(local("/proc/crate"))?.contains("cannot write into \"/proc/crate\"") == true)
        #expect(message(s3(endpoint: "127.0.0.1:9000"))?.contains("is not an endpoint URL") == true)
        #expect(message(s3(endpoint: "ftp://host"))?.contains("is not an endpoint URL") == true)
        #expect(message(s3(region: ""))?.contains("the region is empty") == true)
        #expect(message(s3(bucket: "Music"))?.contains("use only lowercase letters") == true)
        #expect(message(s3(bucket: "ab"))?.contains("3 to 63 characters") == true)
        #expect(message(s3(bucket: "-music"))?.contains("begin and end with a letter or digit") == true)
        #expect(message(s3(bucket: "a..b"))?.contains("must not contain \"..\"") == true)
        #expect(message(s3(bucket: "192.168.1.1"))?.contains("IP address") == true)
        #expect(message(local("/tmp", chunked: true, chunkSize: 128 << 10))?.contains("outside 256KiB…64MiB") == true)
        #expect(message(local("/tmp", chunked: true, chunkSize: 128 << 20))?.contains("outside 256KiB…64MiB") == true)
        #expect(message(local("/tmp", chunked: true, chunkSize: 3 << 20))?.contains("not a power of two") == true)
        #expect(message(local("/tmp", chunkSize: 1 << 20))?.contains("add --chunked or drop --chunk-size") == true)
    }

    @Test func refusesANonWritableFolder() throws {
        guard getuid() != 0 else { return }  // root writes anywhere; /proc covers this case for root
        #expect(message(local("/usr/crate-test"))?.contains("cannot write into") == true)
    }

    @Test func parsesS3URIs() throws {
        #expect(try S3Location.parseURI("s3://music/archive/") == ("music", "archive"))
        #expect(try S3Location.parseURI("s3://music") == ("music", ""))
        #expect(throws: ProfileValidationError.malformedS3URI("music/x")) { try S3Location.parseURI("music/x") }
        #expect(throws: ProfileValidationError.malformedS3URI("s3:///x")) { try S3Location.parseURI("s3:///x") }
    }
}
