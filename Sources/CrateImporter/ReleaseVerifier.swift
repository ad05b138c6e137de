import CrateAudio
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
        /// `--audio`: the stored file's audio is damaged (a FLAC frame, its length or its MD5;
        /// an MP3's frame chain).
        case damagedAudio
        /// `--audio`: the stored FLAC's STREAMINFO gives another MD5 of the audio than the
        /// catalog recorded when it was imported.
        case audioMD5Differs
        /// `--audio`: nothing to check the audio against (a FLAC without an MD5); a note, not
        /// a problem.
        case audioNotCheckable
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
    /// With `audio`: FLAC and MP3 files whose audio was checked, and what is worth saying
    /// without being a problem (files that cannot be checked).
    public var audioChecked = 0
    public var notes: [VerifyProblem] = []

    public var isSound: Bool { problems.isEmpty }

    /// What the catalog keeps of this verify (`release_storage.verify_result`): "ok", or the
    /// count and the first problem.
    public var summary: String {
        guard let first = problems.first else { return "ok" }
        let count = "\(problems.count) problem\(problems.count == 1 ? "" : "s")"
        return "\(count): " + (first.file.map { "\($0): " } ?? "") + first.message
    }
}

/// Checks stored release copies against the catalog: every object the catalog maps a file to
/// must exist with its recorded size, and every (sampled) file is read back through the
/// profile's stack (sealed tags checked by the codec), reassembled through the catalog's
/// mapping and hashed against the catalog's SHA-256. Problems are collected, not thrown, so
/// one damaged file does not hide the next. With `audio`, the same read also decodes each FLAC
/// and walks each MP3 (`ReleaseVerifier+Audio.swift`). Each copy's verify is recorded in the
/// catalog (when and what was found), which `--sample` and the release detail read.
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
    ///   - fileSharePercent: read back only this share of each copy's files (at least one, chosen
    ///     at random); object sizes are still checked for every file.
    ///   - audio: also check the audio of each FLAC and MP3 file read back.
    ///   - onFile: hears each file as it is checked (path, bytes).
    public func verify(
        release id: String, profileName: String? = nil, fileSharePercent: Double = 100, audio: Bool = false,
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
                try await verify(
                    release, on: profile, fileSharePercent: fileSharePercent, audio: audio, onFile: onFile))
        }
        return reports
    }

    /// Verifies every release copy in the catalog (on `profileName` only, when given).
    public func verifyAll(
        profileName: String? = nil, fileSharePercent: Double = 100, audio: Bool = false,
        onFile: @escaping @Sendable (String, Int64) async -> Void = { _, _ in }
    ) async throws -> [VerifyReport] {
        if let profileName { _ = try catalog.profile(named: profileName) }
        var reports: [VerifyReport] = []
        for summary in try catalog.releases() {
            for profile in try catalog.copies(ofRelease: summary.release.id).map(\.1)
            where profileName == nil || profile.name == profileName {
                reports.append(
                    try await verify(
                        summary.release, on: profile, fileSharePercent: fileSharePercent, audio: audio,
                        onFile: onFile))
            }
        }
        return reports
    }

    func verify(
        _ release: ReleaseRecord, on profile: StorageProfileRecord, fileSharePercent: Double, audio: Bool,
        onFile: @escaping @Sendable (String, Int64) async -> Void
    ) async throws -> VerifyReport {
        let report = try await read(
            release, on: profile, fileSharePercent: fileSharePercent, audio: audio, onFile: onFile)
        // A catalog opened read-only (verify needs no write access) cannot keep the date; the
        // report is true all the same.
        try? catalog.recordVerification(releaseId: release.id, profileId: profile.id!, result: report.summary)
        return report
    }

    private func read(
        _ release: ReleaseRecord, on profile: StorageProfileRecord, fileSharePercent: Double, audio: Bool,
        onFile: @escaping @Sendable (String, Int64) async -> Void
    ) async throws -> VerifyReport {
        var report = VerifyReport(
            releaseId: release.id, artist: release.artist, title: release.title, profile: profile.name,
            filesChecked: 0, filesTotal: 0, bytesChecked: 0, problems: [])
        let stack: StorageStack
        do {
            stack = try await opener.open(profile)
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
        let sampled = Self.sample(manifest.files.map(\.path), percent: fileSharePercent)
        let recorded =
            audio
            ? Dictionary(
                try catalog.files(ofRelease: release.id).map { ($0.relativePath, $0) },
                uniquingKeysWith: { first, _ in first }) : [:]
        for file in manifest.files {
            let sizeProblems = try await checkObjects(of: file, storage: storage, manifest: manifest)
            report.problems += sizeProblems
            guard sizeProblems.isEmpty, sampled.contains(file.path) else { continue }
            let (problem, checked) = await readBack(
                file, storage: storage, audio: audio ? AudioCheck.kind(forPath: file.path) : nil)
            if let checked {
                report.audioChecked += 1
                note(checked, of: file.path, recorded: recorded[file.path], into: &report)
            }
            if let problem {
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

    /// Reads the whole file through the stack and the catalog's mapping, checking its hash,
    /// and with `audio` its audio on the way (`checkAudio`).
    private func readBack(
        _ file: ManifestFile, storage: ReleaseStorage, audio: AudioCheck.Kind?
    ) async -> (VerifyProblem?, AudioFinding?) {
        var finding: AudioFinding?
        do {
            let reader = try await storage.readFile(file.path, verify: true)
            if let audio {
                let deferring = HashDeferringReader(reader)
                finding = try await AudioScreening.check(audio, read: deferring.read(upTo:))
                while try await !deferring.read(upTo: 1 << 20).isEmpty {}
                if let mismatch = deferring.mismatch { throw mismatch }
            } else {
                while try await !reader.read(upTo: 1 << 20).isEmpty {}
            }
            return (nil, finding)
        } catch {
            return (problem(reading: file, error), finding)
        }
    }

    /// What a failed read of the file says, as a problem.
    private func problem(reading file: ManifestFile, _ error: any Error) -> VerifyProblem {
        guard let error = error as? StorageError else {
            return .init(kind: .unreadable, file: file.path, message: "\(error)")
        }
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
    }

    /// The paths to read back: all of them at 100 %, else a random share, at least one.
    static func sample(_ paths: [String], percent: Double) -> Set<String> {
        guard percent < 100, !paths.isEmpty else { return Set(paths) }
        let count = max(1, Int((Double(paths.count) * max(0, percent) / 100).rounded(.up)))
        return Set(paths.shuffled().prefix(count))
    }
}
