import CrateCatalog
import CrateStorage
import Foundation

/// What `crate recover` did with each manifest on the profile.
public struct RecoveryReport: Sendable, Hashable {
    /// Releases added to the catalog (ids).
    public var recovered: [String]
    /// Releases the catalog already had on this profile (ids).
    public var alreadyKnown: [String]
    /// Manifests refused, with the reason (the rest still recover).
    public var refused: [Refusal]

    public struct Refusal: Sendable, Hashable {
        public var manifestKey: String
        public var reason: String
    }
}

/// Rebuilds the catalog from a profile's storage alone: the profile (added or attached in the
/// catalog) is opened with its key, every `manifests/<id>` is read, and each manifest that
/// passes the trust rules becomes a release with its files, objects and mapping, committed as
/// an import would be.
///
/// Trust rules (docs/decisions.md): a sealed manifest must authenticate under the profile's
/// key and its own name; the id inside must match the name; file paths must be relative paths
/// with no empty, `.` or `..` segment (export would otherwise write outside its folder);
/// object keys must lie under `objects/` or `releases/` (so `rm` and `gc` can never be led to
/// delete a manifest or `crate-profile.json`); and the mapping must name only files and chunks
/// the manifest lists; and a release id the catalog already knows must come with the same
/// files (path and SHA-256). A manifest that breaks a rule is refused with its reason.
public struct CatalogRecovery: Sendable {
    let catalog: Catalog
    let opener: ProfileOpener

    public init(catalog: Catalog, opener: ProfileOpener) {
        self.catalog = catalog
        self.opener = opener
    }

    public func recover(
        profileName: String, onRelease: @escaping @Sendable (String) async -> Void = { _ in }
    ) async throws -> RecoveryReport {
        let profile = try catalog.profile(named: profileName)
        let stack = try await opener.open(profile)
        var report = RecoveryReport(recovered: [], alreadyKnown: [], refused: [])
        for id in try await stack.releaseIDs().sorted() {
            let key = ObjectNaming.manifestKey(releaseID: id)
            let known = (try? catalog.release(id)).flatMap { $0.release.id == id ? $0 : nil }
            if let known, known.profiles.contains(profile.name) {
                report.alreadyKnown.append(id)
                continue
            }
            do {
                let manifest = try await stack.openRelease(id: id).manifest
                try Self.check(manifest, id: id, profile: profile)
                // The same id with other files would make this copy a bogus copy of that release.
                if let known, known.release.contentHash != ReleaseCommitBuilder.contentHash(manifest.files) {
                    throw RecoveryError.refused(
                        "its id is that of \(known.release.artist) — \(known.release.title), already in the catalog "
                            + "with other files; this manifest does not describe that release")
                }
                try catalog.commitRelease(ReleaseCommitBuilder.build(recovered: manifest, profileId: profile.id!))
                report.recovered.append(id)
                await onRelease(id)
            } catch let error as StorageError where error.isWrongPassphrase {
                throw error
            } catch {
                report.refused.append(.init(manifestKey: key, reason: "\(error)"))
            }
        }
        return report
    }

    static func check(_ manifest: ReleaseManifest, id: String, profile: StorageProfileRecord) throws {
        guard manifest.release.id == id else {
            throw RecoveryError.refused("it describes release \(manifest.release.id), not \(id)")
        }
        guard manifest.encrypted == profile.encrypted, (manifest.chunkSize != nil) == profile.chunked else {
            throw RecoveryError.refused("its layout differs from the profile's")
        }
        var paths = Set<String>()
        for (index, file) in manifest.files.enumerated() {
            guard (try? ObjectKey.validate(file.path)) != nil, !file.path.hasPrefix("/") else {
                throw RecoveryError.refused("file path \(file.path.debugDescription) escapes the release")
            }
            guard paths.insert(file.path).inserted, file.index == index, file.size >= 0 else {
                throw RecoveryError.refused("its file list is inconsistent at \(file.path.debugDescription)")
            }
            if profile.chunked != (file.objectKey == nil) {
                throw RecoveryError.refused("file \(file.path.debugDescription) does not fit the layout")
            }
        }
        for key in manifest.objectKeys where !isObjectKey(key) {
            throw RecoveryError.refused("it names \(key.debugDescription), which is not a release object")
        }
        let chunkIDs = Set(manifest.chunks.map(\.id))
        for piece in manifest.mapping {
            guard manifest.files.indices.contains(piece.fileIndex), chunkIDs.contains(piece.chunkID),
                piece.byteOffset >= 0, piece.byteLength >= 0
            else { throw RecoveryError.refused("its chunk mapping names a file or chunk it does not list") }
        }
    }

    static func isObjectKey(_ key: String) -> Bool {
        (key.hasPrefix("objects/") || key.hasPrefix("releases/")) && (try? ObjectKey.validate(key)) != nil
    }

    /// Why a manifest was not recovered.
    public enum RecoveryError: Error, CustomStringConvertible, Sendable {
        case refused(String)

        public var description: String {
            switch self {
            case .refused(let reason): "refused: \(reason)"
            }
        }
    }
}
