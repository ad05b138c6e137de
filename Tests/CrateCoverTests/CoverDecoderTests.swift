import CrateCover
import CrateTestSupport
import Foundation
import Testing

/// Pictures made at test time with ImageMagick's `convert` (scripts/install-deps --test), so
/// no binary fixture hides what it holds.
@Suite("Cover decoding: JPEG and PNG through stb_image, with limits")
struct CoverDecoderTests {
    /// A 64×64 picture in four quadrants: red, green (top), blue, white (bottom).
    static func quadrants(_ format: String) async throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crate-cover-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("cover.\(format)").path
        let convert = try await Tool.run([
            "convert", "-size", "64x64", "xc:white",
            "-fill", "#ff0000", "-draw", "rectangle 0,0 31,31",
            "-fill", "#00ff00", "-draw", "rectangle 32,0 63,31",
            "-fill", "#0000ff", "-draw", "rectangle 0,32 31,63",
            "-quality", "95", file,
        ])
        #expect(convert.status == 0, "convert failed: is ImageMagick installed?")
        return Array(try Data(contentsOf: URL(fileURLWithPath: file)))
    }

    func expectQuadrants(_ image: CoverImage, tolerance: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        func near(_ pixel: CoverImage.RGB, _ red: Int, _ green: Int, _ blue: Int) -> Bool {
            abs(Int(pixel.red) - red) <= tolerance && abs(Int(pixel.green) - green) <= tolerance
                && abs(Int(pixel.blue) - blue) <= tolerance
        }
        // The middle of each quadrant: away from the edges a JPEG blurs.
        let (w, h) = (image.width, image.height)
        #expect(near(image[w / 4, h / 4], 255, 0, 0), "top left \(image[w / 4, h / 4])", sourceLocation: sourceLocation)
        #expect(near(image[3 * w / 4, h / 4], 0, 255, 0), "top right", sourceLocation: sourceLocation)
        #expect(near(image[w / 4, 3 * h / 4], 0, 0, 255), "bottom left", sourceLocation: sourceLocation)
        #expect(near(image[3 * w / 4, 3 * h / 4], 255, 255, 255), "bottom right", sourceLocation: sourceLocation)
    }

    @Test func aPNGIsDecodedAndBoxFilteredToFit() async throws {
        let image = try CoverDecoder.decode(try await Self.quadrants("png"), fitting: 8, 8)
        #expect(image.width == 8 && image.height == 8)
        expectQuadrants(image, tolerance: 0)
        // Every target pixel averages a whole 8×8 block of one colour: exact, no bleeding.
        #expect(image[3, 3] == CoverImage.RGB(255, 0, 0))
        #expect(image[4, 4] == CoverImage.RGB(255, 255, 255))
    }

    @Test func aJPEGIsDecodedWithinItsLossiness() async throws {
        let image = try CoverDecoder.decode(try await Self.quadrants("jpg"), fitting: 32, 32)
        #expect(image.width == 32 && image.height == 32)
        expectQuadrants(image, tolerance: 24)
    }

    @Test func aSmallPictureKeepsItsSize() async throws {
        let image = try CoverDecoder.decode(try await Self.quadrants("png"))
        // 64×64 fitted to the default 32×32.
        #expect(image.width == 32 && image.height == 32)
        let small = try CoverDecoder.decode(try await Self.quadrants("png"), fitting: 100, 100)
        #expect(small.width == 64 && small.height == 64)
    }

    @Test func aTruncatedFileIsDamaged() async throws {
        let whole = try await Self.quadrants("png")
        #expect {
            _ = try CoverDecoder.decode(Array(whole.prefix(whole.count / 2)))
        } throws: { error in
            guard case CoverError.damaged = error else { return false }
            return true
        }
    }

    @Test func garbageIsNotAPicture() {
        #expect(throws: CoverError.notAPicture) { try CoverDecoder.decode(Array("not a picture at all".utf8)) }
        #expect(throws: CoverError.notAPicture) { try CoverDecoder.decode([]) }
    }

    /// A PNG header declaring 40000×40000 pixels (IHDR only): refused from the header, before
    /// stb_image allocates anything.
    @Test func anAbsurdDeclaredSizeIsRefused() {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        png += Array("IHDR".utf8)
        png += [0x00, 0x00, 0x9C, 0x40, 0x00, 0x00, 0x9C, 0x40]  // 40000 × 40000
        png += [8, 2, 0, 0, 0]  // 8-bit RGB
        png += [0, 0, 0, 0]  // CRC (stb does not check it)
        #expect(throws: CoverError.tooManyPixels(width: 40000, height: 40000)) { try CoverDecoder.decode(png) }
    }

    /// A JPEG whose frame header declares 9000×300 (over stb_image's own 8192 limit, which
    /// would only say the header does not read): refused as too large, not called damaged.
    @Test func anOversizedJPEGIsRefusedForItsSizeNotCalledDamaged() {
        var jpeg: [UInt8] = [0xFF, 0xD8]
        jpeg += [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]  // APP0
        jpeg += [0xFF, 0xC0, 0x00, 0x11, 8, 0x01, 0x2C, 0x23, 0x28, 3]  // SOF0: 300 high, 9000 wide
        jpeg += [1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]
        jpeg += [0xFF, 0xD9]
        #expect(throws: CoverError.tooManyPixels(width: 9000, height: 300)) { try CoverDecoder.decode(jpeg) }
    }

    @Test func anOversizedFileIsNotRead() {
        let bytes = [UInt8](repeating: 0, count: CoverDecoder.maxBytes + 1)
        #expect(throws: CoverError.fileTooLarge(bytes: CoverDecoder.maxBytes + 1)) { try CoverDecoder.decode(bytes) }
    }

    @Test func resizingKeepsTheAspectRatio() {
        let wide = CoverImage(width: 60, height: 30) { x, _ in x < 30 ? .init(0, 0, 0) : .init(255, 255, 255) }
        #expect(wide.size(fitting: 32, 32) == (32, 16))
        let tall = CoverImage(width: 10, height: 40) { _, _ in .init(1, 2, 3) }
        #expect(tall.size(fitting: 32, 32) == (8, 32))
        let half = wide.resized(width: 2, height: 1)
        #expect(half.pixels == [.init(0, 0, 0), .init(255, 255, 255)])
    }
}
