import CrateCatalog
import CrateS3
import CrateStorage
import Foundation

/// What `crate gc` found (and, unless a dry run, deleted) on one profile.
public struct GarbageReport: Sendable, Hashable {
    public var profile: String
    public var dryRun: Bool
    /// Objects no catalog row and no unfinished job references, with their sizes.
    public var orphans: [ObjectInfo]
    public var bytes: Int64 { orphans.reduce(0) { $0 + $1.size } }
    /// Multipart uploads aborted (or, in a dry run, that would be); keys of the objects.
    public var abortedUploads: [String]
    /// Why multipart uploads were not looked at, when they were not.
    public var uploadsNote: String?
    /// Object rows dropped from the catalog because no file maps to them any more.
    public var droppedRows: Int
    /// Deletions that failed.
    public var failures: [String]
}

/// Deletes what a profile's storage holds but nothing needs: objects under `objects/` and
/// `releases/` and manifests under `manifests/` that no catalog row references and no
/// unfinished job has stored (an interrupted import may still resume), and S3 multipart
/// uploads left behind by a crash.
///
/// Safety rules (docs/decisions.md): the store is listed *before* the catalog is read, so an
/// object committed meanwhile is seen as referenced; `crate-profile.json` and keys outside
/// the three folders are never touched; and a profile with a job touched in the last
/// `activeWindow` (an import or copy that may be running right now, whose newest object may
/// not be recorded yet) is refused.
public struct GarbageCollector: Sendable {
    let catalog: Catalog
    let opener: ProfileOpener
    public var activeWindow: TimeInterval = 10 * 60

    public init(catalog: Catalog, opener: ProfileOpener) {
        self.catalog = catalog
        self.opener = opener
    }

    static let collectedPrefixes = ["objects/", "releases/", "manifests/"]

    public func collect(profileName: String, dryRun: Bool) async throws -> GarbageReport {
        let profile = try catalog.profile(named: profileName)
        let store = try opener.baseStore(for: profile.location)
        var listed: [ObjectInfo] = []
        for prefix in Self.collectedPrefixes { listed += try await store.list(prefix: prefix) }
        let references = try catalog.references(
            profileId: profile.id!, activeSince: Date().addingTimeInterval(-activeWindow))
        if let job = references.activeJobs.first {
            throw GarbageError.jobActive(profile: profile.name, job: job.id, source: job.sourcePath)
        }
        var report = GarbageReport(
            profile: profile.name, dryRun: dryRun, orphans: listed.filter { !references.contains($0.key) },
            abortedUploads: [], uploadsNote: nil, droppedRows: 0, failures: [])
        if !dryRun {
            report.droppedRows = try catalog.dropUnreferencedObjectRows(profileId: profile.id!)
            for object in report.orphans {
                do { try await store.delete(object.key) } catch { report.failures.append("\(object.key): \(error)") }
            }
        }
        try await abortUploads(store, dryRun: dryRun, into: &report)
        return report
    }

    /// S3 multipart uploads under the profile's prefix: no Crate upload outlives its process
    /// (a failed one is aborted on the spot), so any left while no job is active is stale.
    private func abortUploads(_ store: any ObjectStore, dryRun: Bool, into report: inout GarbageReport) async throws {
        guard let s3 = store as? S3Store else {
            report.uploadsNote = "not an S3 profile: no multipart uploads to look for"
            return
        }
        let uploads: [(key: String, uploadId: String)]
        do {
            uploads = try await s3.client.listMultipartUploads(prefix: s3.keyPrefix)
        } catch {
            report.uploadsNote = "could not list multipart uploads: \(error)"
            return
        }
        for upload in uploads {
            report.abortedUploads.append(String(upload.key.dropFirst(s3.keyPrefix.count)))
            guard !dryRun else { continue }
            do {
                try await s3.client.abortMultipartUpload(upload.key, uploadId: upload.uploadId)
            } catch {
                report.failures.append("multipart upload of \(upload.key): \(error)")
            }
        }
    }

    /// Why gc refused to run.
    public enum GarbageError: Error, CustomStringConvertible, Sendable {
        case jobActive(profile: String, job: String, source: String)

        public var description: String {
            switch self {
            case .jobActive(let profile, let job, let source):
                "an import or copy into profile \(profile) may be running (job \(job.prefix(12)), \(source)); "
                    + "run gc once it has finished, or resume it with `crate import --resume`"
            }
        }
    }
}
