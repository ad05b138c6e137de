import CStbImage

/// Turns a JPEG or PNG file's bytes into a small `CoverImage`, through stb_image. A cover
/// comes from an archive anyone may have filled, so the decoder refuses what would eat memory
/// before it decodes: the file's size, then the pixel count its header declares.
public enum CoverDecoder {
    /// The largest file read: covers are rarely over a few MiB.
    public static let maxBytes = 20 << 20
    /// The longest side decoded (stb_image itself refuses over 8192).
    public static let maxSide = 8000
    /// The most pixels decoded (6000×6000: 108 MB of RGB while it is downscaled).
    public static let maxPixels = 36_000_000

    /// Decodes `bytes` and box-filters the picture to fit `maxWidth × maxHeight`, keeping its
    /// aspect ratio (a picture already that small keeps its size).
    public static func decode(_ bytes: [UInt8], fitting maxWidth: Int = 32, _ maxHeight: Int = 32)
        throws(CoverError) -> CoverImage
    {
        guard bytes.count <= maxBytes else { throw .fileTooLarge(bytes: bytes.count) }
        let length = Int32(bytes.count)
        let result: Result<CoverImage, CoverError> = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let format = Format(sniffing: buffer) else {
                return .failure(.notAPicture)
            }
            // The declared size, read here too: stb_image's answer for a size over its own
            // limit is only "unknown image type" (PNG) or a failed header (JPEG).
            let declared = format == .png ? Format.pngSize(buffer) : Format.jpegSize(buffer)
            if let size = declared, !fits(size.width, size.height) {
                return .failure(.tooManyPixels(width: size.width, height: size.height))
            }
            var width: Int32 = 0
            var height: Int32 = 0
            guard crate_stbi_info(base, length, &width, &height) == 1 else {
                return .failure(.damaged("its \(format) header does not read, or declares over 8192 pixels a side"))
            }
            let (w, h) = (Int(width), Int(height))
            guard fits(w, h) else { return .failure(.tooManyPixels(width: w, height: h)) }
            guard let pixels = crate_stbi_load_rgb(base, length, &width, &height) else {
                return .failure(.damaged(crate_stbi_failure_reason().map { String(cString: $0) } ?? "unknown"))
            }
            defer { crate_stbi_free(pixels) }
            // The header read twice must agree; a decoder that disagrees with itself is not trusted.
            guard Int(width) == w, Int(height) == h else { return .failure(.damaged("size changed while decoding")) }
            let target =
                w <= maxWidth && h <= maxHeight
                ? (width: w, height: h)
                : CoverImage.size(
                    of: w, h, fitting: maxWidth, maxHeight)
            return .success(
                CoverImage.resample(width: w, height: h, to: target.width, target.height) { x, y in
                    let offset = (y * w + x) * 3
                    return CoverImage.RGB(pixels[offset], pixels[offset + 1], pixels[offset + 2])
                })
        }
        return try result.get()
    }

    static func fits(_ width: Int, _ height: Int) -> Bool {
        width > 0 && height > 0 && width <= maxSide && height <= maxSide && width * height <= maxPixels
    }

    /// The formats decoded, known by their first bytes.
    enum Format: String, CustomStringConvertible {
        case jpeg = "JPEG"
        case png = "PNG"

        init?(sniffing bytes: UnsafeBufferPointer<UInt8>) {
            if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
                self = .jpeg
            } else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
                self = .png
            } else {
                return nil
            }
        }

        var description: String { rawValue }

        /// The size in a PNG's IHDR chunk, which must come first (bytes 16–23, big-endian).
        static func pngSize(_ bytes: UnsafeBufferPointer<UInt8>) -> (width: Int, height: Int)? {
            guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
            let number = { (at: Int) in bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
            return (number(16), number(20))
        }

        /// The size in a JPEG's first start-of-frame segment (SOF0–SOF15 but DHT, JPG and DAC),
        /// found by walking the segments after SOI; `nil` when the walk leaves the bytes.
        static func jpegSize(_ bytes: UnsafeBufferPointer<UInt8>) -> (width: Int, height: Int)? {
            let number = { (at: Int) in Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
            var at = 2
            while at + 4 <= bytes.count {
                guard bytes[at] == 0xFF else { return nil }
                let marker = bytes[at + 1]
                if marker == 0xFF {  // fill byte
                    at += 1
                    continue
                }
                if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                    // Length (2), precision (1), height (2), width (2).
                    guard at + 9 <= bytes.count else { return nil }
                    return (number(at + 7), number(at + 5))
                }
                if marker == 0xD9 || marker == 0xDA { return nil }  // end, or scan data before any frame
                at += 2 + number(at + 2)
            }
            return nil
        }
    }
}
