import CrateS3
import Foundation
import Testing

/// URL construction for both addressing styles, without a server.
struct S3ClientAddressingTests {
    let credentials = S3Credentials(accessKeyId: "k", secretAccessKey: "s")

    @Test func pathStyle() throws {
        let client = try S3Client(
            endpoint: "http://127.0.0.1:9000/", region: "us-east-1", bucket: "music", addressing: .path,
            credentials: credentials)
        #expect(client.url(key: "a b/c$d.flac").absoluteString == "http://127.0.0.1:9000/music/a%20b/c%24d.flac")
        #expect(client.target(key: "x").host == "127.0.0.1:9000")
        #expect(client.url(key: nil, query: [("uploads", nil)]).absoluteString == "http://127.0.0.1:9000/music?uploads")
    }

    @Test func virtualHostedStyle() throws {
        let client = try S3Client(
            endpoint: "https://s3.eu-west-1.amazonaws.com", region: "eu-west-1", bucket: "music",
            addressing: .virtualHosted, credentials: credentials)
        #expect(
            client.url(key: "releases/Björk/x.flac").absoluteString
                == "https://music.s3.eu-west-1.amazonaws.com/releases/Bj%C3%B6rk/x.flac")
        #expect(client.target(key: nil) == (host: "music.s3.eu-west-1.amazonaws.com", path: "/"))
        #expect(
            client.url(key: nil, query: [("list-type", "2"), ("prefix", "a/b")]).absoluteString
                == "https://music.s3.eu-west-1.amazonaws.com/?list-type=2&prefix=a%2Fb")
    }

    @Test func ipEndpointsFallBackToPathStyle() throws {
        for endpoint in ["http://127.0.0.1:5055", "http://[::1]:9000"] {
            let client = try S3Client(
                endpoint: endpoint, region: "us-east-1", bucket: "music", addressing: .virtualHosted,
                credentials: credentials)
            #expect(client.addressing == .path)
            #expect(client.url(key: "k").absoluteString == endpoint + "/music/k")
        }
        let named = try S3Client(
            endpoint: "http://localhost:5055", region: "us-east-1", bucket: "music", addressing: .virtualHosted,
            credentials: credentials)
        #expect(named.addressing == .virtualHosted)
    }

    @Test func rejectsEndpointsThatAreNotURLs() {
        for bad in ["s3.amazonaws.com", "ftp://host", "http://", "http://host/path"] {
            #expect(throws: S3Error.invalidEndpoint(bad)) {
                try S3Client(endpoint: bad, region: "r", bucket: "b", credentials: credentials)
            }
        }
    }
}
