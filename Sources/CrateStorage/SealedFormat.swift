/// The byte layout of a sealed object (format version 1), as pure arithmetic and parsing with
/// no I/O and no cryptography. `docs/storage-format.md` is the prose version of this file.
///
/// ```
/// header   magic "CRATESLD" (8) | version 0x01 (1) | key id (8) | nonce prefix (7)   = 24 bytes
/// segment  AES-256-GCM(64 KiB of plaintext, or less for the last one) ‖ tag (16)
/// nonce    nonce prefix (7) ‖ segment counter, UInt32 big-endian (4) ‖ last flag 0x00/0x01 (1)
/// AD       header (24) ‖ object name as UTF-8
/// ```
///
/// There is always at least one segment (an empty plaintext has one empty last segment), and
/// only the last segment may be shorter than 64 KiB.
public enum SealedFormat {
    public static let magic: [UInt8] = Array("CRATESLD".utf8)
    public static let version: UInt8 = 1
    public static let keyIDSize = 8
    public static let noncePrefixSize = 7
    public static let headerSize = 24
    public static let segmentSize: Int64 = 65_536
    public static let tagSize: Int64 = 16
    /// Bytes one full segment occupies in the object.
    public static let sealedSegmentSize: Int64 = segmentSize + tagSize
    /// Most bytes a sealing or opening reader produces in one batch of segments, whatever piece
    /// its caller asks for: 16 segments, a 1 MiB piece of plaintext.
    static let maxBatchBytes = 16 * Int(sealedSegmentSize)

    /// The first 24 bytes of every sealed object.
    public struct Header: Hashable, Sendable {
        public var keyID: [UInt8]
        public var noncePrefix: [UInt8]

        public init(keyID: [UInt8], noncePrefix: [UInt8]) {
            precondition(keyID.count == SealedFormat.keyIDSize && noncePrefix.count == SealedFormat.noncePrefixSize)
            self.keyID = keyID
            self.noncePrefix = noncePrefix
        }

        public var bytes: [UInt8] { SealedFormat.magic + [SealedFormat.version] + keyID + noncePrefix }

        /// Parses the header from the first bytes of the object named `key`. Fewer than 24
        /// bytes that begin like a header mean the object was cut inside it.
        public static func parse(_ bytes: [UInt8], key: String) throws(StorageError) -> Header {
            guard !bytes.isEmpty else { throw .truncated(key: key, reason: "it is empty") }
            let magicCount = min(bytes.count, SealedFormat.magic.count)
            guard bytes[..<magicCount] == SealedFormat.magic[..<magicCount] else {
                throw .notACrateObject(key: key)
            }
            guard bytes.count >= SealedFormat.magic.count + 1 else {
                throw .truncated(key: key, reason: "it ends inside its header")
            }
            let version = bytes[SealedFormat.magic.count]
            guard version == SealedFormat.version else { throw .unsupportedFormatVersion(key: key, version: version) }
            guard bytes.count >= SealedFormat.headerSize else {
                throw .truncated(key: key, reason: "it ends inside its header")
            }
            return Header(keyID: Array(bytes[9..<17]), noncePrefix: Array(bytes[17..<24]))
        }
    }

    /// The 12-byte AES-GCM nonce of segment `counter`.
    public static func nonce(prefix: [UInt8], counter: Int64, last: Bool) -> [UInt8] {
        precondition(counter >= 0 && counter <= Int64(UInt32.max))
        let value = UInt32(counter)
        return prefix + [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
            + [last ? 1 : 0]
    }

    /// The associated data of every segment: binds the header and the object's name.
    public static func associatedData(header: Header, objectName: String) -> [UInt8] {
        header.bytes + Array(objectName.utf8)
    }

    /// Number of segments a plaintext of this size is sealed into (at least one).
    public static func segmentCount(plaintextSize: Int64) -> Int64 {
        max(1, (plaintextSize + segmentSize - 1) / segmentSize)
    }

    /// Size of the sealed object for a plaintext of this size.
    public static func storedSize(plaintextSize: Int64) -> Int64 {
        Int64(headerSize) + plaintextSize + segmentCount(plaintextSize: plaintextSize) * tagSize
    }

    /// Size of the plaintext inside a sealed object of this size; throws `truncated` for sizes
    /// no sealed object can have (a cut inside the header or inside a tag).
    public static func plaintextSize(storedSize: Int64, key: String) throws(StorageError) -> Int64 {
        let body = storedSize - Int64(headerSize)
        guard body >= tagSize else {
            throw .truncated(key: key, reason: body < 0 ? "it ends inside its header" : "its last segment is missing")
        }
        let count = (body + sealedSegmentSize - 1) / sealedSegmentSize
        let lastSegment = body - (count - 1) * sealedSegmentSize
        guard lastSegment >= tagSize else { throw .truncated(key: key, reason: "it ends inside segment \(count - 1)") }
        return body - count * tagSize
    }

    /// Indices of the segments holding the plaintext bytes `range` (which must be non-empty
    /// and inside the plaintext).
    public static func segments(covering range: Range<Int64>) -> Range<Int64> {
        precondition(!range.isEmpty && range.lowerBound >= 0)
        return (range.lowerBound / segmentSize)..<((range.upperBound - 1) / segmentSize + 1)
    }

    /// Byte range in the sealed object of the given segments of a plaintext of `plaintextSize`.
    public static func storedRange(ofSegments segments: Range<Int64>, plaintextSize: Int64) -> Range<Int64> {
        let lower = Int64(headerSize) + segments.lowerBound * sealedSegmentSize
        let upper = min(
            Int64(headerSize) + segments.upperBound * sealedSegmentSize,
            storedSize(plaintextSize: plaintextSize))
        return lower..<upper
    }

    /// Offset in the plaintext where segment `index` starts.
    public static func plaintextOffset(ofSegment index: Int64) -> Int64 { index * segmentSize }
}
