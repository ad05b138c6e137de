import CrateCatalog
import CrateCore
import Foundation

/// How much `crate verify --sample` reads in one run: a share of the release copies, or a
/// number of bytes. Periodic verification in small runs (restic's `check --read-data-subset`):
/// each run takes the copies verified longest ago, so successive runs cover the archive.
public enum VerifySample: Sendable, Hashable {
    /// This percentage of the copies (0 < percent ≤ 100), rounded up.
    case percent(Double)
    /// Copies until their sizes add up to at least this many bytes.
    case bytes(Int64)

    /// Parses `10%` (a share of the copies) or a byte count (`2GiB`, `500M`, `4096`).
    public init(parsing text: String) throws(VerifySampleError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            guard let value = Double(trimmed.dropLast()), value > 0, value <= 100 else {
                throw VerifySampleError(text: text)
            }
            self = .percent(value)
        } else {
            guard let bytes = try? ByteSize.parse(trimmed), bytes > 0 else { throw VerifySampleError(text: text) }
            self = .bytes(Int64(bytes))
        }
    }

    /// The copies to verify, from `copies` ordered least recently verified first (as
    /// `Catalog.copiesByVerification` gives them): a prefix reaching the share, at least one
    /// when there are any.
    public func choose(from copies: [CopyVerificationState]) -> [CopyVerificationState] {
        guard !copies.isEmpty else { return [] }
        switch self {
        case .percent(let percent):
            let count = Int((Double(copies.count) * percent / 100).rounded(.up))
            return Array(copies.prefix(max(1, count)))
        case .bytes(let budget):
            var total: Int64 = 0
            var chosen: [CopyVerificationState] = []
            for copy in copies where total < budget {
                chosen.append(copy)
                total += copy.totalBytes
            }
            return chosen
        }
    }
}

/// A `--sample` value that is neither a percentage nor a byte count.
public struct VerifySampleError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var description: String {
        "--sample takes a share of the release copies (10%) or a byte count (2GiB), not \"\(text)\""
    }
}
