import Testing

@testable import CrateCore

@Suite struct ByteSizeTests {
    @Test(arguments: [
        ("4194304", 4_194_304), ("4MiB", 4_194_304), ("4M", 4_194_304), ("512KiB", 524_288),
        ("1GiB", 1 << 30), (" 256k ", 262_144), ("7B", 7),
    ])
    func parsesSizes(text: String, expected: Int) throws {
        #expect(try ByteSize.parse(text) == expected)
    }

    @Test(arguments: ["", "MiB", "4XB", "-1", "4.5MiB", "99999999999999999999G"])
    func rejectsMalformedSizes(text: String) {
        #expect(throws: ProfileValidationError.malformedSize(text)) { try ByteSize.parse(text) }
    }

    @Test func formatsSizes() {
        #expect(ByteSize.format(4 << 20) == "4MiB")
        #expect(ByteSize.format(1536 << 20) == "1.5GiB")
        #expect(ByteSize.format(100) == "100B")
    }
}
