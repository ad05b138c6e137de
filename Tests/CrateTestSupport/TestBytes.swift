/// Test data made fast in a debug build: a `map` over a range pays generic metadata lookups for
/// every byte there, and the suite's multi-MiB bodies spent more CPU being made than sent.
public enum TestBytes {
    /// `count` bytes where byte `i` is `i &* multiplier &+ i / 251 &+ seed` (truncated): a
    /// pattern that differs at every offset modulo a prime, so a misplaced window shows.
    public static func pattern(_ count: Int, multiplier: Int = 31, seed: Int = 0) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard var out = buffer.baseAddress else {
                initialized = 0
                return
            }
            var block = 0
            var start = 0
            while start < count {
                let end = min(start + 251, count)
                var value = start &* multiplier &+ block &+ seed
                for _ in start..<end {
                    out.pointee = UInt8(truncatingIfNeeded: value)
                    out += 1
                    value &+= multiplier
                }
                block += 1
                start = end
            }
            initialized = count
        }
    }

    /// `count` pseudo-random bytes from `seed` (xorshift64*), eight at a time.
    public static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else {
                initialized = 0
                return
            }
            var offset = 0
            while offset < count {
                state ^= state >> 12
                state ^= state << 25
                state ^= state >> 27
                var word = state &* 0x2545_F491_4F6C_DD1D
                let take = min(8, count - offset)
                withUnsafeBytes(of: &word) { bytes in
                    (base + offset).update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: take)
                }
                offset += take
            }
            initialized = count
        }
    }
}
