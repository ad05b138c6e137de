import CrateStorage
import Foundation
import Synchronization

/// The `CountingStore`s an opener made during one command, for `--store-counts`.
final class CountingStores: Sendable {
    private let stores = Mutex<[CountingStore]>([])

    func wrap(_ base: any ObjectStore) -> any ObjectStore {
        let store = CountingStore(wrapping: base)
        stores.withLock { $0.append(store) }
        return store
    }

    func reset() {
        for store in stores.withLock({ $0 }) { store.reset() }
    }

    /// The summed counts as one JSON object.
    func json() -> String {
        let all = stores.withLock { $0.map(\.counts) }
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
