import Crypto
import Foundation

/// How objects of a profile are named (docs/storage-format.md): readable paths for plain whole-file
/// profiles, `objects/ab/cd/<id>` otherwise, with keyed ids on sealed profiles so that names
/// reveal nothing about the releases.
public struct ObjectNaming: Sendable {
    /// Secret key for ids on sealed profiles; `nil` on plain ones.
    private let identifierKey: [UInt8]?
    private let readable: Bool

    /// Naming for a profile: `identifierKey` from the data key when sealed; readable names
    /// only for plain, whole-file profiles.
    public init(identifierKey: [UInt8]?, chunked: Bool) {
        self.identifierKey = identifierKey
        readable = identifierKey == nil && !chunked
    }

    /// Key of a release's manifest.
    public static func manifestKey(releaseID: String) -> String { "manifests/" + releaseID }

    /// Content-derived id of a chunk: HMAC-SHA256 under the identifier key when sealed, else
    /// SHA-256; lowercase hex.
    public func chunkID<Plaintext: DataProtocol>(_ plaintext: Plaintext) -> String {
        if let identifierKey {
            return Array(HMAC<SHA256>.authenticationCode(for: plaintext, using: SymmetricKey(data: identifierKey))).hex
        }
        return Array(SHA256.hash(data: plaintext)).hex
    }

    /// Object key of an opaque id: `objects/ab/cd/<id>`.
    public static func opaqueKey(id: String) -> String {
        let characters = Array(id)
        return "objects/\(String(characters[0..<2]))/\(String(characters[2..<4]))/\(id)"
    }

    /// Object key of a whole file of a release.
    public func fileKey(release: ReleaseInfo, path: String) -> String {
        if readable {
            let artist = Self.sanitise(release.artist, fallback: "Unknown Artist")
            let title = Self.sanitise(release.title, fallback: "Untitled") + (release.year.map { " (\($0))" } ?? "")
            return "releases/\(artist)/\(title) [\(release.shortID)]/\(path)"
        }
        // Not content-derived: a file's object is named by the release and the path, so a
        // re-import overwrites it instead of leaving garbage.
        let message = Array("file\u{0}\(release.id)\u{0}\(path)".utf8)
        let id: String
        if let identifierKey {
            id = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: identifierKey))).hex
        } else {
            id = Array(SHA256.hash(data: message)).hex
        }
        return Self.opaqueKey(id: id)
    }

    /// One path segment a person can read and every file system accepts: no `/`, `\`, control
    /// characters, leading dot or surrounding spaces; at most 120 characters.
    static func sanitise(_ text: String, fallback: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "/" || scalar == "\\" {
                scalars.append("-")
            } else if scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value) {
                scalars.append(scalar)
            }
        }
        // White space and dots go from both ends until neither is left there, before and
        // after the cut: a name of dots and spaces (". . .") would otherwise leave "." or "..",
        // which no object key may be.
        func trimmed(_ text: String) -> String {
            var result = text
            while true {
                var next = result.trimmingCharacters(in: .whitespaces)
                while next.hasPrefix(".") { next.removeFirst() }
                while next.hasSuffix(".") { next.removeLast() }
                if next == result { return result }
                result = next
            }
        }
        // 120 characters, and at most 200 bytes of UTF-8: a folder name must fit the 255 bytes
        // file systems allow, with " (year) [short id]" still to come.
        var cut = String(trimmed(String(scalars)).prefix(120))
        while cut.utf8.count > 200 { cut.removeLast() }
        let result = trimmed(cut)
        return result.isEmpty ? fallback : result
    }
}
