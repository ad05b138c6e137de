import CrateCore
import CrateStorage
import Foundation

/// `CRATE_BWLIMIT`: the most bytes per second Crate stores at, across everything the process
/// uploads or writes (like rclone's `--bwlimit`); unset means no limit. Reading back is never
/// slowed.
enum UploadLimit {
    static let variable = "CRATE_BWLIMIT"

    /// The one pace every store of the process keeps, or `nil` when no limit is set.
    static func pace(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> UploadPace? {
        guard let text = environment[variable], !text.isEmpty else { return nil }
        let amount = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
        guard let rate = try? ByteSize.parse(amount), rate >= 1024 else {
            throw CLIFailure(
                message: "\(variable)=\(text) is not a rate: give bytes per second of at least 1KiB, "
                    + "e.g. \(variable)=8MiB, or unset it for no limit",
                code: 64)
        }
        return UploadPace(bytesPerSecond: rate)
    }
}
