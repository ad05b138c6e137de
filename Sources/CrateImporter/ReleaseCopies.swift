import CrateCatalog
import CrateStorage
import Foundation

/// Opens a stored copy of a release for reading: the copy on the named profile, or the first
/// copy that opens (so a release with a local and a cloud copy reads from whichever works).
public struct ReleaseCopies: Sendable {
    let catalog: Catalog
    let opener: ProfileOpener

    public init(catalog: Catalog, opener: ProfileOpener) {
        self.catalog = catalog
        self.opener = opener
    }

    public func open(release id: String, profileName: String? = nil) async throws -> (
        ReleaseStorage, StorageProfileRecord
    ) {
        let copies = try catalog.copies(ofRelease: id)
        var candidates = copies.map(\.1)
        if let profileName {
            candidates = candidates.filter { $0.name == profileName }
            guard !candidates.isEmpty else {
                throw ReadError.noCopyOnProfile(release: id, profile: profileName, available: copies.map(\.1.name))
            }
        }
        guard !candidates.isEmpty else { throw ReadError.noCopies(release: id) }
        var lastError: (any Error)?
        for profile in candidates {
            do {
                let stack = try await opener.open(profile)
                do {
                    return (try await stack.openRelease(id: id), profile)
                } catch StorageError.notFound(let key) where key == ObjectNaming.manifestKey(releaseID: id) {
                    // The manifest object alone is gone (verify reports it): the catalog holds the
                    // same files and mapping, so the objects still read back, each checked.
                    let release = try catalog.release(id).release
                    let manifest = try CatalogManifest.build(catalog: catalog, release: release, profile: profile)
                    return (ReleaseStorage(stack: stack, manifest: manifest), profile)
                }
            } catch let error as StorageError where error.isWrongPassphrase {
                throw error
            } catch {
                lastError = error
            }
        }
        throw lastError ?? ReadError.noCopies(release: id)
    }

    /// Why a release could not be opened for reading.
    public enum ReadError: Error, CustomStringConvertible {
        case noCopies(release: String)
        case noCopyOnProfile(release: String, profile: String, available: [String])
        case pathEscapes(String)
        case targetExists(String)

        public var description: String {
            switch self {
            case .noCopies(let release): "release \(release) has no stored copy"
            case .noCopyOnProfile(let release, let profile, let available):
                "release \(release) has no copy on profile \(profile); it is on: \(available.joined(separator: ", "))"
            case .pathEscapes(let path): "refusing \"\(path)\": the path would land outside the export folder"
            case .targetExists(let path): "\(path) already exists; export into an empty or new folder"
            }
        }
    }
}

extension StorageError {
    var isWrongPassphrase: Bool {
        if case .wrongPassphrase = self { return true }
        return false
    }
}
