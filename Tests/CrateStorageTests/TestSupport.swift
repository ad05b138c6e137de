import CrateStorage
import Foundation

/// Deterministic pseudo-random bytes (xorshift64*), the same on every run.
func testBytes(count: Int, seed: UInt64) -> [UInt8] {
    var generator = TestByteGenerator(seed: seed)
    return generator.next(count)
}

struct TestByteGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func next(_ count: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        result.withUnsafeMutableBytes { buffer in
            var index = 0
            while index < count {
                state ^= state >> 12
                state ^= state << 25
                state ^= state >> 27
                var word = (state &* 0x2545_F491_4F6C_DD1D).littleEndian
                let take = min(8, count - index)
                withUnsafeBytes(of: &word) { wordBytes in
                    buffer.baseAddress!.advanced(by: index).copyMemory(from: wordBytes.baseAddress!, byteCount: take)
                }
                index += take
            }
        }
        return result
    }
}

/// A `ByteReader` producing `count` deterministic bytes without holding them all.
final class GeneratedReader: ByteReader {
    private var generator: TestByteGenerator
    private var remaining: Int

    init(count: Int, seed: UInt64) {
        generator = TestByteGenerator(seed: seed)
        remaining = count
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        // Always generate in 64 KiB steps so the stream is the same whatever the callers ask.
        let take = min(maxCount, remaining, 1 << 16)
        remaining -= take
        return generator.next(take)
    }
}

struct TestFailure: Error {}

/// Yields its bytes, then throws once `failAfter` bytes have been produced.
final class FailingReader: ByteReader {
    private let bytes: [UInt8]
    private let failAfter: Int
    private var position = 0

    init(bytes: [UInt8], failAfter: Int) {
        self.bytes = bytes
        self.failAfter = failAfter
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        guard position < failAfter else { throw TestFailure() }
        let end = min(bytes.count, position + maxCount, failAfter)
        defer { position = end }
        return Array(bytes[position..<end])
    }
}

/// A fresh empty folder under the system temporary folder.
func makeTemporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "crate-storage-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
