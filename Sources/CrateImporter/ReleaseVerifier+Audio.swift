import CrateAudio
import CrateCatalog
import CrateStorage
import Foundation

/// What `verify --audio` found in one stored file, as the catalog keeps it and as checked.
typealias AudioFinding = (record: AudioCheckRecord, result: AudioCheck.Result)

extension ReleaseVerifier {
    /// Turns an audio finding into the report's problems and notes, and records it on the
    /// file's catalog row. `recorded` is the file as the catalog has it: a STREAMINFO MD5 the
    /// import saw that the stored copy no longer carries is a problem even when the copy decodes
    /// cleanly to its own (changed) MD5.
    func note(_ finding: AudioFinding, of path: String, recorded: FileRecord?, into report: inout VerifyReport) {
        switch finding.result {
        case .intact: break
        case .damaged(let reason):
            report.problems.append(.init(kind: .damagedAudio, file: path, message: "the audio is damaged: \(reason)"))
        case .cannotCheck(let reason):
            report.notes.append(.init(kind: .audioNotCheckable, file: path, message: reason))
        }
        if let imported = recorded?.audioMd5, let stored = finding.record.md5, stored != imported {
            report.problems.append(
                .init(
                    kind: .audioMD5Differs, file: path,
                    message: "STREAMINFO's MD5 of the audio is \(stored); the import recorded \(imported)"))
        }
        // A read-only catalog keeps the earlier check; the report says what this one found.
        if let id = recorded?.id { try? catalog.recordAudioCheck(fileId: id, finding.record) }
    }
}

/// Passes a verified read through to an audio check, holding back the SHA-256 mismatch the
/// verifying reader throws at the end: the check then sees the end of the stream and says what
/// is wrong with the audio, and the mismatch is reported after it (`mismatch`). Any other error
/// (a missing object, a failed tag) ends the read as it would without the check.
final class HashDeferringReader {
    private let inner: any ByteReader
    private(set) var mismatch: StorageError?

    init(_ inner: any ByteReader) { self.inner = inner }

    func read(upTo maxCount: Int) async throws -> [UInt8] {
        guard mismatch == nil else { return [] }
        do {
            return try await inner.read(upTo: maxCount)
        } catch let error as StorageError {
            guard case .fileMismatch = error else { throw error }
            mismatch = error
            return []
        }
    }
}
