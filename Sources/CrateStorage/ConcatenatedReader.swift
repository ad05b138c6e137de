/// Reads several byte streams one after the other, opening each only when the previous one
/// is exhausted (so a long file read holds one chunk's reader at a time).
final class ConcatenatedReader: ByteReader {
    private var pending: [() async throws -> any ByteReader]
    private var current: (any ByteReader)?

    init(_ parts: [() async throws -> any ByteReader]) {
        pending = parts.reversed()
    }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        while true {
            if let current {
                let piece = try await current.read(upTo: maxCount)
                if !piece.isEmpty { return piece }
                self.current = nil
            }
            guard let open = pending.popLast() else { return [] }
            current = try await open()
        }
    }
}
