/// Why a file could not become a `CoverImage`.
public enum CoverError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file is larger than `CoverDecoder.maxBytes`: not read, whatever it holds.
    case fileTooLarge(bytes: Int)
    /// The header declares more pixels than `CoverDecoder` decodes (a side over `maxSide`, or
    /// more than `maxPixels` in all): refused before any pixel is decoded.
    case tooManyPixels(width: Int, height: Int)
    /// Not a JPEG or PNG file (no header stb_image knows).
    case notAPicture
    /// A JPEG or PNG header, but the picture does not decode (truncated or damaged); stb_image's
    /// reason.
    case damaged(String)

    public var description: String {
        switch self {
        case .fileTooLarge(let bytes):
            "the picture is \(bytes) bytes; covers over \(CoverDecoder.maxBytes) are not read"
        case .tooManyPixels(let width, let height):
            "the picture declares \(width)×\(height) pixels, more than a cover needs; not decoded"
        case .notAPicture: "not a JPEG or PNG picture"
        case .damaged(let reason): "the picture is damaged (\(reason))"
        }
    }
}
