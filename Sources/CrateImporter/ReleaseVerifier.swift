import CrateCatalog
import CrateStorage
import Foundation

/// What is wrong with one stored file or release copy.
public struct VerifyProblem: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// An object the catalog maps the file to is not in the store.
        case missingObject
        /// An object has another size than recorded (cut short, or grown).
        case sizeMismatch
        /// An object failed its sealed tags or framing, or the file's bytes do not hash to the
        /// recorded SHA-256.
        case integrityFailure
        /// The copy's manifest is missing or unreadable (`crate recover` would miss the copy).
        case badManifest
        /// The profile could not be opened or read at all.
        case unreadable
    }

    public var kind: Kind
    /// The file's path in the release; `nil` for problems of the whole copy.
    public var file: String?
    /// The object concerned, when one is.
    public var objectKey: String?
    public var message: String
}

/// The outcome of verifying one release copy.
public struct VerifyReport: Sendable, Hashable, Codable {
    public var releaseId: String
    public var artist: String
    public var title: String
    public var profile: String
    /// Files read back in full (all of them, or the sample).
    public var filesChecked: Int
    public var filesTotal: Int
    public var bytesChecked: Int64
    public var problems: [VerifyProblem]

    public var isSound: Bool { problems.isEmpty }
}

/// Checks stored release copies against the catalog: every object the catalog maps a file to
/// must exist with its recorded size, and every (sampled) file is read back through the
/// profile's stack (sealed tags checked by the codec), reassembled through the catalog's
/// mapping and hashed against the catalog's SHA-256. Problems are collected, not thrown, so
/// one damaged file does not hide the next.
public struct ReleaseVerifier: Sendable {
    let catalog: Catalog
    let opener: ProfileOpener

    public init(catalog: Catalog, opener: ProfileOpener) {
        self.catalog = catalog
        self.opener = opener
    }

    /// Verifies the release's copies (only the one on `profileName` when given).
    ///
    /// - Parameters:
    ///   - samplePercent: read back only this share of each copy's files (at least one, chosen
    ///     at random); object sizes are still checked for every file.
    ///   - onFile: hears each file as it is checked (path, bytes).
    public func verify(
        release id: String, profileName: String? = nil, samplePercent: Double = 100,
        onFile: @escaping @Sendable (String, Int64) async -> Void = { _, _ in }
    ) async throws -> [VerifyReport] {
        let release = try catalog.release(id).release
        let copies = try catalog.copies(ofRelease: release.id).map(\.1)
        let chosen = profileName.map { name in copies.filter { $0.name == name } } ?? copies
        if let profileName, chosen.isEmpty {
            throw ReleaseCopies.ReadError.noCopyOnProfile(
                release: release.id, profile: profileName, available: copies.map(\.name))
        }
        var reports: [VerifyReport] = []
        for profile in chosen {
            reports.append(
                try await verify(release, on: profile, samplePercent: samplePercent, onFile: onFile))
        }
        return reports
    }

    /// Verifies every release copy in the catalog (on `profileName` only, when given).
    public func verifyAll(
        profileName: String? = nil, samplePercent: Double = 100,
        onFile: @escaping @Sendable (String, Int64) async -> Void = { _, _ in }
    ) async throws -> [VerifyReport] {
        if let profileName { _ = try catalog.profile(named: profileName) }
        var reports: [VerifyReport] = []
        for summary in try catalog.releases() {
            for profile in try catalog.copies(ofRelease: summary.release.id).map(\.1)
            where profileName == nil || profile.name == profileName {
                reports.append(
                    try await verify(summary.release, on: profile, samplePercent: samplePercent, onFile: onFile))
            }
        }
        return reports
    }

    func verify(
        _ release: ReleaseRecord, on profile: StorageProfileRecord, samplePercent: Double,
        onFile: @escaping @Sendable (String, Int64) async -> Void
    ) async throws -> VerifyReport {
        var report = VerifyReport(
            releaseId: release.id, artist: release.artist, title: release.title, profile: profile.name,
            filesChecked: 0, filesTotal: 0, bytesChecked: 0, problems: [])
        let stack: StorageStack
        do {
            stack = try opener.open(profile)
        } catch let error as StorageError where error.isWrongPassphrase {
            throw error
        } catch {
            report.problems.append(.init(kind: .unreadable, message: "\(error)"))
            return report
        }
        let manifest = try CatalogManifest.build(catalog: catalog, release: release, profile: profile)
        let storage = ReleaseStorage(stack: stack, manifest: manifest)
        report.filesTotal = manifest.files.count
        await checkManifest(release.id, stack: stack, into: &report)
        let sampled = Self.sample(manifest.files.map(\.path), percent: samplePercent)
        for file in manifest.files {
            let sizeProblems = try await checkObjects(of: file, storage: storage, manifest: manifest)
            report.problems += sizeProblems
            guard sizeProblems.isEmpty, sampled.contains(file.path) else { continue }
            if let problem = await readBack(file, storage: storage) {
                report.problems.append(problem)
            } else {
                report.filesChecked += 1
                report.bytesChecked += file.size
            }
            await onFile(file.path, file.size)
        }
        return report
    }

    /// The stored manifest must open (sealed: authenticate) and describe the same files.
    private func checkManifest(_ id: String, stack: StorageStack, into report: inout VerifyReport) async {
        do {
            let stored = try await stack.openRelease(id: id).manifest
            let recorded = Set(try catalog.files(ofRelease: id).map { "\($0.relativePath)\u{0}\($0.sha256)" })
            if Set(stored.files.map { "\($0.path)\u{0}\($0.sha256)" }) != recorded {
                report.problems.append(
                    .init(
                        kind: .badManifest, objectKey: stored.objectKey,
                        message: "the stored manifest lists other files than the catalog"))
            }
        } catch {
            report.problems.append(
                .init(kind: .badManifest, objectKey: ObjectNaming.manifestKey(releaseID: id), message: "\(error)"))
        }
    }

    /// Every object holding part of the file: present, with its recorded stored size.
    private func checkObjects(
        of file: ManifestFile, storage: ReleaseStorage, manifest: ReleaseManifest
    ) async throws -> [VerifyProblem] {
        let sizes = Dictionary(
            manifest.chunks.map { ($0.objectKey, $0.storedSize) }
                + manifest.files.compactMap { entry in
                    entry.objectKey.map { ($0, entry.storedSize ?? entry.size) }
                }, uniquingKeysWith: { first, _ in first })
        let keys = storage.objectKeys(of: file)
        if keys.isEmpty && file.size > 0 {
            return [
                .init(
                    kind: .missingObject, file: file.path,
                    message: "the catalog maps \"\(file.path)\" to no object on this profile")
            ]
        }
        var problems: [VerifyProblem] = []
        for key in keys {
            let found: ObjectInfo?
            do {
                found = try await storage.stack.store.head(key)
            } catch {
                problems.append(.init(kind: .unreadable, file: file.path, objectKey: key, message: "\(error)"))
                continue
            }
            guard let found else {
                problems.append(
                    .init(
                        kind: .missingObject, file: file.path, objectKey: key,
                        message: "object \"\(key)\" holding \"\(file.path)\" is missing"))
                continue
            }
            if let expected = sizes[key], found.size != expected {
                problems.append(
                    .init(
                        kind: .sizeMismatch, file: file.path, objectKey: key,
                        message:
                            "object \"\(key)\" holding \"\(file.path)\" has \(found.size) bytes, \(expected) recorded"))
            }
        }
        return problems
    }

    /// Reads the whole file through the stack and the catalog's mapping, checking its hash.
    private func readBack(_ file: ManifestFile, storage: ReleaseStorage) async -> VerifyProblem? {
        do {
            let reader = try await storage.readFile(file.path, verify: true)
            while try await !reader.read(upTo: 1 << 20).isEmpty {}
            return nil
        } catch let error as StorageError {
            switch error {
            case .notFound(let key):
                return .init(kind: .missingObject, file: file.path, objectKey: key, message: error.description)
            case .truncated(let key, _):
                return .init(kind: .sizeMismatch, file: file.path, objectKey: key, message: error.description)
            case .fileMismatch:
                return .init(
                    kind: .integrityFailure, file: file.path,
                    message: "\"\(file.path)\" does not match its recorded SHA-256")
            case .authenticationFailed(let key, _), .integrity(let key, _), .notACrateObject(let key),
                .wrongKey(let key, _, _), .unsupportedFormatVersion(let key, _), .chunkMismatch(_, _, _, let key):
                return .init(kind: .integrityFailure, file: file.path, objectKey: key, message: error.description)
            default:
                return .init(kind: .unreadable, file: file.path, message: error.description)
            }
        } catch {
            return .init(kind: .unreadable, file: file.path, message: "\(error)")
        }
    }

    /// The paths to read back: all of them at 100 %, else a random share, at least one.
    static func sample(_ paths: [String], percent: Double) -> Set<String> {
        guard percent < 100, !paths.isEmpty else { return Set(paths) }
        let count = max(1, Int((Double(paths.count) * max(0, percent) / 100).rounded(.up)))
        return Set(paths.shuffled().prefix(count))
    }
}
