import Crypto

/// scrypt (RFC 7914), computed with half the memory of the textbook algorithm.
///
/// ROMix fills a table V of N blocks of 128·r bytes (128 MiB for N = 2^17, r = 8) and then
/// reads it back at data-dependent positions. This implementation keeps only every second
/// block and recomputes an odd block from its even neighbour (one extra BlockMix) when it is
/// read: the classic time–memory trade-off, with exactly the same output (tests compare it
/// with BoringSSL's scrypt and RFC 7914's vectors). It costs about a quarter more time and
/// halves the peak memory of every command that unlocks an encrypted profile; the cost
/// parameters, and so the work an attacker must do per guess, are unchanged.
/// See docs/decisions.md ("scrypt at half the memory").
enum Scrypt {
    /// `count` bytes of scrypt(passphrase, salt, N = `n`, r, p). `n` must be a power of two ≥ 2.
    static func derive(password: [UInt8], salt: [UInt8], n: Int, r: Int, p: Int, count: Int) -> [UInt8] {
        precondition(n >= 2 && n & (n - 1) == 0 && r > 0 && p > 0 && count > 0)
        let blockWords = 32 * r
        var blocks = pbkdf2(password: password, salt: salt, count: p * 128 * r)
        blocks.withUnsafeMutableBytes { raw in
            let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: 3 * blockWords)
            let table = UnsafeMutablePointer<UInt32>.allocate(capacity: n / 2 * blockWords)
            defer {
                scratch.deallocate()
                table.deallocate()
            }
            for lane in 0..<p {
                let bytes = raw.baseAddress! + lane * 128 * r
                for word in 0..<blockWords {
                    scratch[word] = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * word, as: UInt32.self))
                }
                roMix(scratch, r: r, n: n, table: table, scratch: scratch + blockWords)
                for word in 0..<blockWords {
                    bytes.storeBytes(of: scratch[word].littleEndian, toByteOffset: 4 * word, as: UInt32.self)
                }
            }
        }
        return pbkdf2(password: password, salt: blocks, count: count)
    }

    /// PBKDF2-HMAC-SHA256 with one iteration, as scrypt uses it.
    static func pbkdf2(password: [UInt8], salt: [UInt8], count: Int) -> [UInt8] {
        let keyed = HMAC<SHA256>(key: SymmetricKey(data: password))
        var result: [UInt8] = []
        result.reserveCapacity(count + 32)
        var index: UInt32 = 1
        while result.count < count {
            var mac = keyed
            mac.update(data: salt)
            mac.update(data: withUnsafeBytes(of: index.bigEndian) { Array($0) })
            result.append(contentsOf: mac.finalize())
            index += 1
        }
        return Array(result.prefix(count))
    }

    /// ROMix on `x` (32·r words) in place, keeping the even blocks of V in `table`
    /// (N/2 · 32·r words). `scratch` holds 2 · 32·r words.
    private static func roMix(
        _ x: UnsafeMutablePointer<UInt32>, r: Int, n: Int, table: UnsafeMutablePointer<UInt32>,
        scratch: UnsafeMutablePointer<UInt32>
    ) {
        let words = 32 * r
        let t = scratch
        let w = scratch + words
        for i in 0..<n {
            if i & 1 == 0 { (table + (i >> 1) * words).update(from: x, count: words) }
            blockMix(x, into: t, r: r)
            x.update(from: t, count: words)
        }
        for _ in 0..<n {
            let j = Int(x[(2 * r - 1) * 16]) & (n - 1)
            let stored = table + (j >> 1) * words
            let v: UnsafeMutablePointer<UInt32>
            if j & 1 == 0 {
                v = stored
            } else {
                blockMix(stored, into: w, r: r)
                v = w
            }
            for k in 0..<words { x[k] ^= v[k] }
            blockMix(x, into: t, r: r)
            x.update(from: t, count: words)
        }
    }

    /// BlockMix_{Salsa20/8, r}: `input` and `output` are 2·r blocks of 16 words; they must not overlap.
    private static func blockMix(
        _ input: UnsafeMutablePointer<UInt32>, into output: UnsafeMutablePointer<UInt32>, r: Int
    ) {
        var x = SIMD16<UInt32>()
        let last = input + (2 * r - 1) * 16
        for k in 0..<16 { x[k] = last[k] }
        for i in 0..<(2 * r) {
            let block = input + i * 16
            var b = SIMD16<UInt32>()
            for k in 0..<16 { b[k] = block[k] }
            x = salsa208(x ^ b)
            let target = output + ((i & 1 == 0) ? (i >> 1) : (r + (i >> 1))) * 16
            for k in 0..<16 { target[k] = x[k] }
        }
    }

    /// The Salsa20/8 core (RFC 7914 §3).
    @inline(__always)
    private static func salsa208(_ input: SIMD16<UInt32>) -> SIMD16<UInt32> {
        var (x0, x1, x2, x3) = (input[0], input[1], input[2], input[3])
        var (x4, x5, x6, x7) = (input[4], input[5], input[6], input[7])
        var (x8, x9, x10, x11) = (input[8], input[9], input[10], input[11])
        var (x12, x13, x14, x15) = (input[12], input[13], input[14], input[15])
        @inline(__always) func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
            (value &<< count) | (value &>> (32 &- count))
        }
        for _ in 0..<4 {
            x4 ^= rotate(x0 &+ x12, 7)
            x8 ^= rotate(x4 &+ x0, 9)
            x12 ^= rotate(x8 &+ x4, 13)
            x0 ^= rotate(x12 &+ x8, 18)
            x9 ^= rotate(x5 &+ x1, 7)
            x13 ^= rotate(x9 &+ x5, 9)
            x1 ^= rotate(x13 &+ x9, 13)
            x5 ^= rotate(x1 &+ x13, 18)
            x14 ^= rotate(x10 &+ x6, 7)
            x2 ^= rotate(x14 &+ x10, 9)
            x6 ^= rotate(x2 &+ x14, 13)
            x10 ^= rotate(x6 &+ x2, 18)
            x3 ^= rotate(x15 &+ x11, 7)
            x7 ^= rotate(x3 &+ x15, 9)
            x11 ^= rotate(x7 &+ x3, 13)
            x15 ^= rotate(x11 &+ x7, 18)
            x1 ^= rotate(x0 &+ x3, 7)
            x2 ^= rotate(x1 &+ x0, 9)
            x3 ^= rotate(x2 &+ x1, 13)
            x0 ^= rotate(x3 &+ x2, 18)
            x6 ^= rotate(x5 &+ x4, 7)
            x7 ^= rotate(x6 &+ x5, 9)
            x4 ^= rotate(x7 &+ x6, 13)
            x5 ^= rotate(x4 &+ x7, 18)
            x11 ^= rotate(x10 &+ x9, 7)
            x8 ^= rotate(x11 &+ x10, 9)
            x9 ^= rotate(x8 &+ x11, 13)
            x10 ^= rotate(x9 &+ x8, 18)
            x12 ^= rotate(x15 &+ x14, 7)
            x13 ^= rotate(x12 &+ x15, 9)
            x14 ^= rotate(x13 &+ x12, 13)
            x15 ^= rotate(x14 &+ x13, 18)
        }
        let mixed = SIMD16<UInt32>(x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15)
        return mixed &+ input
    }
}
