import CrateCatalog
import CrateCore
import Foundation

/// How a profile is shown: one line for messages, a table row, or a JSON object.
struct ProfileSummary: Encodable {
    struct Location: Encodable {
        var kind: String
        var path: String?
        var endpoint: String?
        var region: String?
        var bucket: String?
        var prefix: String?
        var addressing: String?
        var credentialsProfile: String?
        var caBundle: String?
    }

    var name: String
    var location: Location
    var encrypted: Bool
    var chunked: Bool
    var chunkSize: Int?
    var isDefault: Bool
    var releases: Int
    var bytes: Int64
    var createdAt: Date
    var updatedAt: Date

    init(_ record: StorageProfileRecord, releases: Int = 0, bytes: Int64 = 0) {
        name = record.name
        switch record.location {
        case .local(let path):
            location = Location(kind: "local", path: path)
        case .s3(let s3):
            location = Location(
                kind: "s3", endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, prefix: s3.prefix,
                addressing: s3.addressing.rawValue, credentialsProfile: s3.credentialsProfile, caBundle: s3.caBundle)
        }
        encrypted = record.encrypted
        chunked = record.chunked
        chunkSize = record.chunkSize
        isDefault = record.isDefault
        self.releases = releases
        self.bytes = bytes
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    var locationText: String {
        switch location.kind {
        case "s3":
            "s3://\(location.bucket ?? "")\((location.prefix ?? "").isEmpty ? "" : "/" + (location.prefix ?? ""))"
                + " @ \(location.endpoint ?? "")"
        default: location.path ?? ""
        }
    }

    var layoutText: String {
        (encrypted ? "encrypted" : "plain") + ", "
            + (chunked ? "chunked \(ByteSize.format(chunkSize ?? ProfileSpec.defaultChunkSize))" : "whole files")
    }

    var line: String { "\(locationText) (\(layoutText))" }
}

enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}
