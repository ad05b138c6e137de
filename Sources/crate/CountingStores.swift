import CrateStorage
import Foundation

/// The `CountingStore`s an opener made during one command, for `--store-counts`.
final class CountingStores: @unchecked Sendable {
    // Guarded by `lock`.
    private var stores: [CountingStore] = []
    private let lock = NSLock()

    func wrap(_ base: any ObjectStore) -> any ObjectStore {
        let store = CountingStore(wrapping: base)
        lock.withLock { stores.append(store) }
        return store
    }

    func reset() {
        for store in lock.withLock({ stores }) { store.reset() }
    }

    /// The summed counts as one JSON object.
    func json() -> String {
        let all = lock.withLock { stores.map(\.counts) }
        let fields: [(String, Int64)] = [
            ("puts", Int64(all.reduce(0) { $0 + $1.puts })), ("gets", Int64(all.reduce(0) { $0 + $1.gets })),
            ("rangedGets", Int64(all.reduce(0) { $0 + $1.rangedGets })),
            ("heads", Int64(all.reduce(0) { $0 + $1.heads })),
            ("bytesRead", all.reduce(0) { $0 + $1.bytesRead }),
            ("bytesWritten", all.reduce(0) { $0 + $1.bytesWritten }),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
