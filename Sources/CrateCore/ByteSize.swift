/// Parsing and printing of byte counts: `4194304`, `4MiB`, `512KiB`, `1GiB`, `4M`.
public enum ByteSize {
    /// Parses a byte count with an optional binary unit (B, K/KiB, M/MiB, G/GiB; KB/MB/GB are
    /// taken as binary too, since chunk sizes are powers of two).
    public static func parse(_ text: String) throws(ProfileValidationError) -> Int {
        let trimmed = text.trimmingWhitespace()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).lowercased()
        guard !digits.isEmpty, let value = Int(digits) else { throw .malformedSize(text) }
        let multiplier: Int
        switch unit {
        case "", "b": multiplier = 1
        case "k", "kb", "kib": multiplier = 1 << 10
        case "m", "mb", "mib": multiplier = 1 << 20
        case "g", "gb", "gib": multiplier = 1 << 30
        default: throw .malformedSize(text)
        }
        let (result, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw .malformedSize(text) }
        return result
    }

    /// Formats a byte count for people: `4MiB` when exact, else one decimal (`1.5GiB`).
    public static func format(_ bytes: Int) -> String { format(Int64(bytes)) }

    /// Formats a byte count for people: `4MiB` when exact, else one decimal (`1.5GiB`).
    public static func format(_ bytes: Int64) -> String {
        let units: [(String, Int64)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        for (name, size) in units where bytes >= size {
            if bytes % size == 0 { return "\(bytes / size)\(name)" }
            let tenths = (bytes * 10 + size / 2) / size
            return "\(tenths / 10).\(tenths % 10)\(name)"
        }
        return "\(bytes)B"
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let first = s.first, first.isWhitespace { s.removeFirst() }
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }
}
