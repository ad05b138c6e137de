import CrateCore
import Foundation

/// Stage 3, plan: what an import will cost before it starts (the preflight).
public struct ImportPlan: Sendable, Codable, Hashable {
    public var files: Int
    public var bytes: Int64
    /// Objects to store: chunks or files, plus the manifest.
    public var objects: Int
    /// Requests to the store, counting an existence check and a put per object, and the
    /// extra requests of multipart uploads on S3.
    public var requests: Int
    /// A rough duration at a typical rate for the location (local ≈ 400 MB/s, S3 ≈ 40 MB/s),
    /// or at the upload limit (`CRATE_BWLIMIT`) when that is slower.
    public var estimatedSeconds: Double
    /// A release with the same files already on this profile, if any: nothing to import.
    public var duplicateOf: String?
    /// A catalogued release with the same files (paths and SHA-256s) on other profiles: the
    /// import adds a copy of it on this profile instead of making a second release.
    public var addsCopyOf: CatalogedRelease?

    /// A release already in the catalog, as a plan names it.
    public struct CatalogedRelease: Sendable, Codable, Hashable {
        public var id: String
        public var artist: String
        public var title: String
        /// The profiles holding its copies.
        public var profiles: [String]

        public init(id: String, artist: String, title: String, profiles: [String]) {
            self.id = id
            self.artist = artist
            self.title = title
            self.profiles = profiles
        }

        /// "Artist — Title (3f2a9c10dd01) on vault, cloud".
        public var description: String {
            "\(artist) — \(title) (\(id.prefix(12))) on \(profiles.joined(separator: ", "))"
        }
    }

    /// S3 multipart part size (matches the S3 store's default) for the request estimate.
    static let partSize: Int64 = 8 << 20

    /// `uploadLimit`: the bytes per second stores are paced to, if they are.
    public init(files: [ScannedFile], spec: ProfileSpec, uploadLimit: Int? = nil) {
        let bytes = files.reduce(Int64(0)) { $0 + $1.size }
        self.files = files.count
        self.bytes = bytes
        let isS3: Bool
        if case .s3 = spec.location { isS3 = true } else { isS3 = false }
        let objectSizes: [Int64]
        if spec.chunked, let chunkSize = spec.chunkSize.map(Int64.init) {
            let count = Int((bytes + chunkSize - 1) / chunkSize)
            objectSizes = (0..<count).map { index in min(chunkSize, bytes - Int64(index) * chunkSize) }
        } else {
            objectSizes = files.map(\.size)
        }
        objects = objectSizes.count + 1
        requests =
            2 * objects
            + (isS3
                ? objectSizes.filter { $0 > Self.partSize }.reduce(0) {
                    $0 + Int(($1 + Self.partSize - 1) / Self.partSize) + 1
                } : 0)
        let typical = isS3 ? 40e6 : 400e6
        let rate = uploadLimit.map { min(typical, Double($0)) } ?? typical
        estimatedSeconds = Double(bytes) / rate + Double(requests) * (isS3 ? 0.01 : 0.0005)
        duplicateOf = nil
        addsCopyOf = nil
    }
}
