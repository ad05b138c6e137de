/// What a profile's manifests say is live: the store, not any one catalog, is the source of
/// truth for what may be deleted (several catalogs may share one location).
public struct StoreLiveness: Sendable {
    /// Ids of the releases whose manifests are in the store.
    public var releaseIDs: [String]
    /// Every object a readable manifest references.
    public var referenced: Set<String>
    /// Manifests that could not be read, with the reason. While there are any, nothing may be
    /// deleted: what they reference is unknown.
    public var unreadable: [(key: String, reason: String)]
}

extension StorageStack {
    /// Reads every manifest in the store (sealed ones need this stack's key) and collects the
    /// objects they reference. Reads up to 8 manifests at a time.
    public func liveness() async throws -> StoreLiveness {
        let ids = try await releaseIDs()
        var result = StoreLiveness(releaseIDs: ids, referenced: [], unreadable: [])
        try await withThrowingTaskGroup(of: (String, Result<[String], any Error>).self) { group in
            var next = ids.makeIterator()
            func startNext() {
                guard let id = next.next() else { return }
                group.addTask {
                    do {
                        return (id, .success(try await openRelease(id: id).manifest.objectKeys))
                    } catch StorageError.notFound {
                        return (id, .success([]))  // removed since the listing: references nothing now
                    } catch let error as StorageError where error.isRetryable {
                        throw error  // the store stopped answering: no verdict on this manifest
                    } catch {
                        return (id, .failure(error))
                    }
                }
            }
            for _ in 0..<8 { startNext() }
            while let (id, outcome) = try await group.next() {
                switch outcome {
                case .success(let keys): result.referenced.formUnion(keys)
                case .failure(let error):
                    result.unreadable.append((ObjectNaming.manifestKey(releaseID: id), "\(error)"))
                }
                startNext()
            }
        }
        result.unreadable.sort { $0.key < $1.key }
        return result
    }
}
