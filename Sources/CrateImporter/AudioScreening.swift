import CrateAudio
import CrateCatalog
import CrateStorage
import Foundation

/// The audio check of an import's source files (issue #20): every FLAC decoded, every MP3's
/// frames walked, while the transfer runs.
///
/// It runs beside the transfer rather than before it so that an import with the check costs
/// about what one without it does: the check reads the files in the order the writer stores
/// them, so most of its reads find the pages the transfer has just read, and the decoding uses
/// the core the transfer leaves idle while it waits for the store. The results are awaited
/// before the commit: a damaged file fails the job (`ImportError.damagedAudio`) unless the job
/// allows damage, and every result goes into the catalog with the file.
enum AudioScreening {
    /// What the check of a job's files found, by relative path.
    struct Findings: Sendable {
        var byPath: [String: AudioCheckRecord] = [:]
        /// The damaged files, in transfer order.
        var damaged: [DamagedAudioFile] = []
    }

    /// Checks each file of a kind Crate checks, streaming it from the source folder (a few MiB
    /// held per file whatever its size), as many at once as there are cores: decoding a FLAC
    /// runs at about `flac -t`'s pace, slower than a local store takes the bytes. Reports each
    /// damaged file as it is found. Throws what reading throws (the transfer meets the same
    /// file and says the same), or `CancellationError`.
    static func screen(
        _ files: [ScannedFile], job: String, onEvent: @escaping @Sendable (ImportEvent) async -> Void
    ) async throws -> Findings {
        let byPath = Dictionary(files.map { ($0.relativePath, $0) }, uniquingKeysWith: { first, _ in first })
        let order = ReleaseWriter.sorted(files.map(\.relativePath)).filter { AudioCheck.kind(forPath: $0) != nil }
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var findings = Findings()
        var damaged: [String: String] = [:]
        try await withThrowingTaskGroup(of: (String, AudioCheckRecord, AudioCheck.Result).self) { group in
            var next = order.makeIterator()
            func start() {
                guard let path = next.next(), let file = byPath[path], let kind = AudioCheck.kind(forPath: path)
                else { return }
                group.addTask {
                    try Task.checkCancellation()
                    let reader = try SourceFileReader(file)
                    let (record, result) = try await check(kind, read: reader.read(upTo:))
                    return (path, record, result)
                }
            }
            for _ in 0..<width { start() }
            while let (path, record, result) = try await group.next() {
                findings.byPath[path] = record
                if case .damaged(let reason) = result {
                    damaged[path] = reason
                    await onEvent(.audioDamaged(job: job, file: path, reason: reason))
                }
                start()
            }
        }
        findings.damaged = order.compactMap { path in damaged[path].map { DamagedAudioFile(path: path, reason: $0) } }
        return findings
    }

    /// Checks one file as the catalog records it. For FLAC the record keeps STREAMINFO's MD5
    /// even when the audio is damaged: it is what the file says its audio is.
    static func check(_ kind: AudioCheck.Kind, read: AudioCheck.Read) async throws -> (
        AudioCheckRecord, AudioCheck.Result
    ) {
        switch kind {
        case .flac:
            let report = try await FLACCheck.inspect(read: read)
            return (AudioCheckRecord(md5: report.streamInfo?.md5Hex, result: report.result.catalogText), report.result)
        case .mp3:
            let result = try await AudioCheck.check(.mp3, read: read)
            return (AudioCheckRecord(md5: nil, result: result.catalogText), result)
        }
    }

    /// Fails the job when a file is damaged and the job does not allow it.
    static func requireIntact(_ findings: Findings, allowDamaged: Bool) throws(ImportError) {
        if !findings.damaged.isEmpty && !allowDamaged { throw .damagedAudio(findings.damaged) }
    }

    /// Puts the findings into what the commit writes: each file's check, and on the release
    /// that damage was allowed (only when there was some).
    static func apply(_ findings: Findings, to new: inout NewRelease) {
        for index in new.files.indices {
            new.files[index].audio = findings.byPath[new.files[index].relativePath]
        }
        new.release.allowedDamaged = !findings.damaged.isEmpty
    }
}

/// A file an audio check found damaged, and why.
public struct DamagedAudioFile: Sendable, Hashable, Codable {
    /// The path in the release.
    public var path: String
    /// The first fault found, as a phrase ("lost sync at byte 48211").
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

extension AudioCheck.Result {
    /// How the catalog (`files.audio_result`) and `crate verify` say it.
    public var catalogText: String {
        switch self {
        case .intact: "intact"
        case .cannotCheck(let reason): "cannot check: \(reason)"
        case .damaged(let reason): "damaged: \(reason)"
        }
    }
}

/// What checking a release folder's audio found before its import: the review the terminal UI
/// shows while the user decides (the import checks again beside its transfer, as always).
public struct AudioPreflight: Sendable, Hashable {
    /// Files of a kind Crate checks (FLAC, MP3).
    public var files: Int
    /// Set once every file was checked, or the check failed.
    public var isDone = false
    /// The damaged files, in import order.
    public var damaged: [DamagedAudioFile] = []
    /// Files whose audio cannot be checked (a FLAC without an MD5 of its audio).
    public var uncheckable = 0
    /// Why the check could not finish (a file became unreadable).
    public var failure: String?

    public init(files: Int, isDone: Bool = false, damaged: [DamagedAudioFile] = [], uncheckable: Int = 0) {
        self.files = files
        self.isDone = isDone
        self.damaged = damaged
        self.uncheckable = uncheckable
    }

    /// A preflight yet to run on `files`, or `nil` when none of them is of a kind Crate checks.
    public static func pending(_ files: [ScannedFile]) -> AudioPreflight? {
        let count = files.count { AudioCheck.kind(forPath: $0.relativePath) != nil }
        return count == 0 ? nil : AudioPreflight(files: count)
    }

    /// Checks `files` as an import does (decoding each FLAC, walking each MP3's frames, as
    /// many at once as there are cores). Throws what reading throws, or `CancellationError`.
    public static func check(_ files: [ScannedFile]) async throws -> AudioPreflight {
        let findings = try await AudioScreening.screen(files, job: "") { _ in }
        return AudioPreflight(
            files: findings.byPath.count, isDone: true, damaged: findings.damaged,
            uncheckable: findings.byPath.values.count { $0.result.hasPrefix("cannot check") })
    }
}
