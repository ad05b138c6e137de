/// Percent-encoding exactly as SigV4's `UriEncode()` defines it.
///
/// Every byte of the UTF-8 form is encoded as `%XY` (upper-case hex) except the unreserved
/// characters `A-Z a-z 0-9 - . _ ~`. `/` is kept only in object key paths. Foundation's
/// `addingPercentEncoding` is not used because its character sets differ from AWS's rules
/// (it keeps `$`, `+`, `=` and others that AWS requires encoded).
public enum AWSURIEncoding {
    /// Encodes one string; `keepSlash` keeps `/` (for paths) instead of encoding it as `%2F`.
    public static func encode(_ string: String, keepSlash: Bool = false) -> String {
        var result = ""
        result.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result.append("%")
                result.append(hexDigits[Int(byte >> 4)])
                result.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return result
    }

    /// Encodes an absolute path: each segment encoded, the `/` between them kept.
    public static func encodePath(_ path: String) -> String {
        encode(path, keepSlash: true)
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
