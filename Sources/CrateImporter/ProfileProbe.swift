import CrateStorage
import Foundation

/// `crate profile test`: writes, reads back and deletes a probe object through the profile's
/// store, timing each step, and checks that `crate-profile.json` is there and agrees.
public enum ProfileProbe {
    public struct Step: Sendable {
        public var name: String
        public var milliseconds: Double
    }

    public struct Report: Sendable {
        public var steps: [Step]
    }

    public static func run(_ stack: StorageStack, size: Int = 64 * 1024) async throws -> Report {
        let key = "crate-probe/\(UUID().uuidString.lowercased())"
        let payload = SecureRandom.bytes(size)
        var steps: [Step] = []
        func timed<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
            let start = ContinuousClock.now
            let value = try await body()
            let elapsed = ContinuousClock.now - start
            steps.append(
                Step(
                    name: name,
                    milliseconds: Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds)
                        * 1000))
            return value
        }
        try await timed("write") { try await stack.store.put(key, bytes: payload) }
        let readBack = try await timed("read") { try await stack.store.getAll(key) }
        try await timed("delete") { try await stack.store.delete(key) }
        guard readBack == payload else {
            throw StorageError.integrity(key: key, reason: "the probe object read back differs from what was written")
        }
        if try await stack.store.head(key) != nil {
            throw StorageError.integrity(key: key, reason: "the probe object is still there after delete")
        }
        return Report(steps: steps)
    }
}
