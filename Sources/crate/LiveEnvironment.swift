import CrateAppModel
import CrateCatalog
import CrateCore
import CrateImporter
import CrateStorage
import Foundation

/// The terminal UI's effects, done for real with the catalog, the importer and the storage
/// stacks. Every closure runs on a background task, never on the UI thread.
enum LiveEnvironment {
    static func make(catalog: Catalog, passphraseFile: String?) throws -> Environment {
        let passphrases = PassphraseCache()
        let unlockedKeys = UnlockedKeys()
        var session = ProfileOpener { record in
            if let known = passphrases[record.name] { return known }
            if let passphraseFile {
                return try PassphraseSource.file(path: passphraseFile).read(label: record.name)
            }
            if let value = ProcessInfo.processInfo.environment[PassphraseSource.environmentVariable] {
                return value
            }
            throw StorageError.keyUnavailable(
                reason: "profile \(record.name) is encrypted and locked: unlock it with u on the Profiles screen "
                    + "(or start crate with CRATE_PASSPHRASE or --passphrase-file)")
        }
        session.unlockedKeys = unlockedKeys
        session.uploadPace = try UploadLimit.pace()
        let opener = session
        let importer = Importer(catalog: catalog, opener: opener)
        let copies = ReleaseCopies(catalog: catalog, opener: opener)
        // A passphrase from the environment or a file counts as at hand for every profile.
        let passphraseGiven =
            passphraseFile != nil || ProcessInfo.processInfo.environment[PassphraseSource.environmentVariable] != nil
        return Environment(
            loadProfiles: {
                try profileRows(catalog).map { row in
                    var row = row
                    row.unlocked = row.encrypted && (passphraseGiven || passphrases[row.name] != nil)
                    return row
                }
            },
            loadReleases: {
                try catalog.releases().map { summary in
                    let r = summary.release
                    return ReleaseRow(
                        id: r.id, artist: r.artist, title: r.title, year: r.year, totalBytes: r.totalBytes,
                        profiles: summary.profiles, addedAt: r.createdAt, label: r.label,
                        catalogNumber: r.catalogNumber)
                }
            },
            loadReleaseDetail: { id in try detail(catalog, id) },
            loadCover: { id, path in try await loadCover(copies, release: id, path: path) },
            listFolder: { path in try listFolder(path) },
            reviewFolder: { path, profileName in
                // A folder of release folders (a collection) is reviewed as a batch, by the
                // same rule as `crate import PATH`.
                let found = try ReleaseFinder.find(path)
                let standard = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.path }
                if found.releases.map(standard) != [standard(path)] || !found.skipped.isEmpty {
                    return try batchReview(path, found, profileName: profileName, importer: importer)
                }
                let files = try SourceScanner.scan(path)
                let identified = ReleaseIdentifier.identify(folder: path, files: files)
                let profile = try importer.chooseProfile(profileName)
                let plan = try importer.plan(files, on: profile)
                let note =
                    plan.duplicateOf.map { "already on \(profile.name) (\($0.prefix(12))): nothing to import" }
                    ?? plan.addsCopyOf.map {
                        "in the catalog on \($0.profiles.joined(separator: ", ")) (\($0.id.prefix(12))): "
                            + "importing adds a copy on \(profile.name)"
                    }
                return ReleaseReview(
                    path: path, artist: identified.artist, title: identified.title, year: identified.year,
                    tracks: identified.tracks.map {
                        ReleaseReview.Track(
                            path: $0.relativePath, number: $0.tags.trackNumber, title: $0.tags.title,
                            durationMs: $0.tags.durationMs, disc: $0.tags.discNumber)
                    }, cover: identified.cover?.relativePath, warnings: identified.warnings, profileName: profile.name,
                    plan: ReleaseReview.Plan(
                        files: plan.files, bytes: plan.bytes, objects: plan.objects, requests: plan.requests,
                        estimatedSeconds: plan.estimatedSeconds), catalogNote: note,
                    audio: AudioPreflight.pending(files))
            },
            checkAudio: { path in try await AudioPreflight.check(try SourceScanner.scan(path)) },
            prepareImport: { source, profile, allowDamaged in
                try importer.prepare(source: source, profileName: profile, allowDamaged: allowDamaged).id
            },
            runImport: { id, stop, onEvent in await importer.run(jobId: id, stop: stop, onEvent: onEvent) },
            unfinishedJobs: {
                let names = Dictionary(uniqueKeysWithValues: try catalog.profiles().map { ($0.id ?? 0, $0.name) })
                return try catalog.unfinishedJobs().map { job in
                    var row = ImportJob(
                        id: job.id, source: job.sourcePath, profileName: names[job.profileId] ?? "?",
                        phase: .interrupted)
                    row.progress.bytesDone = job.bytesDone
                    row.progress.bytesTotal = job.bytesTotal
                    return row
                }
            },
            catalogChanges: { try catalog.changesByOthers() },
            saveProfile: { draft in
                if let old = draft.editing {
                    _ = try catalog.updateProfile(named: old, to: draft.spec)
                    if draft.makeDefault { try catalog.setDefaultProfile(named: draft.spec.name) }
                    return "saved profile \(draft.spec.name)"
                }
                let setup = ProfileSetup(catalog: catalog, opener: opener, scrypt: newKeyScrypt)
                let result = try await setup.create(
                    draft.spec, makeDefault: draft.makeDefault,
                    newPassphrase: { draft.passphrase ?? "" },
                    existingPassphrase: {
                        if let value = draft.passphrase { return value }
                        throw StorageError.keyUnavailable(
                            reason: "the folder holds an encrypted profile: give its passphrase")
                    })
                if let passphrase = draft.passphrase { passphrases[draft.spec.name] = passphrase }
                switch result {
                case .created(let record): return "created profile \(record.name)"
                case .attached(let record, let adjusted, let warnings):
                    return "attached \(record.name) to the Crate profile already there"
                        + (adjusted.isEmpty ? "" : " (kept its settings: \(adjusted.joined(separator: ", ")))")
                        + warnings.map { "; warning: " + $0 }.joined()
                }
            },
            deleteProfile: { name in try catalog.removeProfile(named: name) },
            setDefaultProfile: { name in try catalog.setDefaultProfile(named: name) },
            testProfile: { name in
                let stack = try await opener.open(try catalog.profile(named: name))
                let report = try await ProfileProbe.run(stack)
                return "ok: "
                    + report.steps.map { "\($0.name) \(String(format: "%.0f", $0.milliseconds)) ms" }.joined(
                        separator: ", ")
            },
            unlockProfile: { name, passphrase in
                let record = try catalog.profile(named: name)
                // Always unwrapped with what was typed (never answered from the cache), so a
                // wrong passphrase is refused even when the profile is already unlocked.
                if let key = try await ProfileOpener(passphrase: { _ in passphrase }).dataKey(for: record) {
                    unlockedKeys.remember(key, for: record)
                }
                passphrases[name] = passphrase
                return "unlocked profile \(name) until you quit"
            },
            verifyRelease: { id in
                // As `crate verify --audio`: the FLAC and MP3 files are decoded on the same read
                // that hashes them (issue #20), so `v` tells a sound archive from sound bytes.
                let reports = try await ReleaseVerifier(catalog: catalog, opener: opener).verify(
                    release: id, audio: true)
                return try verifyMessage(reports)
            },
            exportRelease: { id, folder in
                let (release, _) = try await copies.open(release: id)
                try await ReleaseExporter.export(release, to: folder)
            },
            deleteRelease: { id, profile in
                let report = try await ReleaseRemover(catalog: catalog, opener: opener).remove(
                    release: id, profileName: profile)
                let deferred = report.copies.filter { $0.leftForGC != nil }.map(\.profile)
                return "deleted \(id.prefix(12)) from \(report.copies.map(\.profile).joined(separator: ", "))"
                    + (deferred.isEmpty
                        ? ""
                        : "; its objects on \(deferred.joined(separator: ", ")) wait for `crate gc` (store busy or locked)")
            },
            copyRelease: { id, profile in
                let outcome = try await ReleaseCopier(catalog: catalog, opener: opener).copy(release: id, to: profile)
                return "copied \(id.prefix(12)) from \(outcome.source) to \(outcome.destination): "
                    + "\(outcome.objectsStored) objects stored, \(ByteSize.format(outcome.bytes)), verified"
            })
    }

    /// What the status line says of a verify (`ReleaseVerifier`'s reports, one per copy): the
    /// copies and bytes read back, or — thrown — the first problems found.
    static func verifyMessage(_ reports: [VerifyReport]) throws -> String {
        let problems = reports.flatMap { report in report.problems.map { (report.profile, $0) } }
        guard problems.isEmpty else {
            let shown = problems.prefix(2).map { "on \($0.0): \($0.1.message)" }.joined(separator: "; ")
            throw CLIFailure(
                message: "\(problems.count) problem\(problems.count == 1 ? "" : "s") \(shown)"
                    + (problems.count > 2 ? "; run `crate verify` for all of them" : ""))
        }
        let files = reports.reduce(0) { $0 + $1.filesChecked }
        let bytes = reports.reduce(Int64(0)) { $0 + $1.bytesChecked }
        return
            "verified \(files) files (\(ByteSize.format(bytes))) on \(reports.map(\.profile).joined(separator: ", ")): "
            + "every object present, every hash matches, the audio decodes"
    }

    static func profileRows(_ catalog: Catalog) throws -> [ProfileRow] {
        let usage = try catalog.profileUsage()
        return try catalog.profiles().map { p in
            let used = usage[p.id ?? 0]
            return ProfileRow(
                name: p.name, location: p.location.summary, isS3: p.locationKind == "s3", encrypted: p.encrypted,
                chunked: p.chunked, chunkSize: p.chunked ? p.chunkSize : nil, isDefault: p.isDefault,
                releases: used?.releases ?? 0, bytes: used?.bytes ?? 0)
        }
    }

    static func detail(_ catalog: Catalog, _ id: String) throws -> ReleaseDetail {
        let summary = try catalog.release(id)
        let r = summary.release
        let tracks = Dictionary(
            try catalog.tracks(ofRelease: id).map { ($0.fileId, $0) }, uniquingKeysWith: { a, _ in a })
        let copies = try catalog.copies(ofRelease: id)
        let firstProfile = copies.first?.1
        let records = try catalog.files(ofRelease: id)
        let files = try records.map { file -> ReleaseDetail.File in
            let pieces =
                try firstProfile.flatMap { profile in
                    profile.chunked ? try catalog.pieces(ofFile: file.id ?? 0, onProfile: profile.id ?? 0) : nil
                } ?? []
            let track = tracks[file.id ?? -1]
            return ReleaseDetail.File(
                path: file.relativePath, size: file.size, durationMs: track?.durationMs, title: track?.title,
                pieces: pieces.map {
                    ReleaseDetail.Piece(
                        chunkIndex: $0.mapping.chunkIndex, objectKey: $0.chunk.objectKey,
                        byteOffset: $0.mapping.byteOffset, byteLength: $0.mapping.byteLength)
                })
        }
        return ReleaseDetail(
            id: r.id, artist: r.artist, title: r.title, year: r.year, label: r.label, catalogNumber: r.catalogNumber,
            files: files, copies: copies.map { "\($0.1.name) (\($0.0.state.rawValue))" },
            verifications: copies.map { .init(profile: $0.1.name, date: $0.0.verifiedAt, result: $0.0.verifyResult) },
            cover: try coverPath(catalog, release: id, files: records))
    }

    static func listFolder(_ path: String) throws -> [FolderEntry] {
        // Plain words for the usual troubles, not Foundation's error domains and codes.
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIFailure(message: "\(path) is not there (moved or deleted?); press ← or g to go elsewhere")
        }
        guard isDirectory.boolValue else {
            throw CLIFailure(message: "\(path) is a file, not a folder")
        }
        guard access(path, R_OK | X_OK) == 0 else {
            throw CLIFailure(message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
        let entries = names.filter { !$0.hasPrefix(".") }.map { name -> FolderEntry in
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory)
            let size = (try? FileManager.default.attributesOfItem(atPath: full)[.size] as? Int64) ?? nil
            return FolderEntry(name: name, isDirectory: isDirectory.boolValue, size: size ?? 0)
        }
        return entries.sorted { a, b in
            a.isDirectory != b.isDirectory
                ? a.isDirectory : a.name.localizedStandardCompare(b.name) == .orderedAscending
        }
    }
}

/// The review of a folder holding several releases: each release folder's plan summed, and the
/// folders left out with why (a release that cannot be scanned is left out too).
private func batchReview(_ path: String, _ found: FoundReleases, profileName: String?, importer: Importer) throws
    -> ReleaseReview
{
    let profile = try importer.chooseProfile(profileName)
    var releases: [String] = []
    var skipped = found.skipped
    var total = ReleaseReview.Plan(files: 0, bytes: 0, objects: 0, requests: 0, estimatedSeconds: 0)
    for release in found.releases {
        do {
            let plan = try importer.plan(try SourceScanner.scan(release), on: profile)
            releases.append(release)
            total.files += plan.files
            total.bytes += plan.bytes
            total.objects += plan.objects
            total.requests += plan.requests
            total.estimatedSeconds += plan.estimatedSeconds
        } catch {
            skipped.append(SkippedSource(path: release, reason: "\(error)"))
        }
    }
    let count = releases.count
    return ReleaseReview(
        path: path, artist: "\(count) release\(count == 1 ? "" : "s")", title: (path as NSString).lastPathComponent,
        tracks: [], warnings: found.notes, profileName: profile.name, plan: total,
        batch: ReleaseReview.Batch(releases: releases, skipped: skipped))
}
