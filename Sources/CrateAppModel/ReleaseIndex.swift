import Foundation

/// The release list, prepared for sorting and filtering: the rows, each row's folded search
/// text and title, and the order by artist.
///
/// Built once per load on the effect's background task, not in `reduce`: with 100,000
/// releases folding and sorting take a noticeable while, and the reducer runs under the store's
/// lock, which the UI thread needs to draw. Filtering then only compares bytes.
public struct ReleaseIndex: Hashable, Sendable {
    public let rows: [ReleaseRow]
    /// Each row's artist, title, year, id, label and catalogue number, folded, as UTF-8
    /// (artist first, so the key also sorts by artist then title) — what the CLI's search finds.
    private let keys: [[UInt8]]
    private let titles: [[UInt8]]
    private let byArtist: [Int]

    public init(_ rows: [ReleaseRow] = []) {
        self.rows = rows
        var folder = TextFolder()
        keys = rows.map { row in
            folder.fold(
                "\(row.artist)\u{1}\(row.title) \(row.year.map(String.init) ?? "") \(row.id) \(row.label ?? "") "
                    + (row.catalogNumber ?? ""))
        }
        titles = rows.map { folder.fold($0.title) }
        let keys = keys
        byArtist = Array(rows.indices).sorted { bytesPrecede(keys[$0], keys[$1]) }
    }

    /// Indices into `rows` in `sort`'s order. Only the artist order (the one a session starts
    /// with) is prepared; the others are sorted when asked for.
    public func order(_ sort: ReleaseSort) -> [Int] {
        let (rows, titles) = (rows, titles)
        let indices = Array(rows.indices)
        switch sort {
        case .artist:
            return byArtist
        case .title:
            return indices.sorted { bytesPrecede(titles[$0], titles[$1]) }
        case .year:
            return indices.sorted { a, b in
                let (ya, yb) = (rows[a].year ?? 0, rows[b].year ?? 0)
                return ya != yb ? ya < yb : bytesPrecede(titles[a], titles[b])
            }
        case .added:
            return indices.sorted { rows[$0].addedAt > rows[$1].addedAt }
        case .size:
            return indices.sorted { rows[$0].totalBytes > rows[$1].totalBytes }
        }
    }

    /// The words of a filter, folded like the keys; empty when the filter has none.
    public static func words(of filter: String) -> [[UInt8]] {
        var folder = TextFolder()
        return folder.fold(filter).split(separator: 0x20).map(Array.init)
    }

    /// Whether row `index` contains every one of `words`.
    public func matches(_ index: Int, all words: [[UInt8]]) -> Bool {
        keys[index].withUnsafeBytes { key in
            words.allSatisfy { word in
                word.withUnsafeBytes { bytes(key, contain: $0) }
            }
        }
    }

    // The derived keys and orders follow from the rows.
    public static func == (a: ReleaseIndex, b: ReleaseIndex) -> Bool { a.rows == b.rows }
    public func hash(into hasher: inout Hasher) { hasher.combine(rows) }
}

/// Text without case, accent or width differences, as UTF-8, so "bjork" finds "Björk".
/// ASCII is lowered in place, combining marks are dropped, and any other character is folded by
/// Foundation once per index build and remembered: folding whole strings through Foundation
/// is slow on Linux.
struct TextFolder {
    private var known: [Unicode.Scalar: [UInt8]] = [:]

    mutating func fold(_ text: String) -> [UInt8] {
        var folded: [UInt8] = []
        folded.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                folded.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            } else if let bytes = known[scalar] {
                folded += bytes
            } else if scalar.properties.canonicalCombiningClass != .notReordered {
                // A combining mark of decomposed text ("o" + U+0308): the accent goes.
                known[scalar] = []
            } else {
                let bytes = Array(
                    String(scalar).folding(
                        options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil
                    ).utf8)
                known[scalar] = bytes
                folded += bytes
            }
        }
        return folded
    }
}

/// Byte-wise order of two UTF-8 strings (the order of their code points).
private func bytesPrecede(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.withUnsafeBytes { a in
        b.withUnsafeBytes { b in
            let common = min(a.count, b.count)
            let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
            return order != 0 ? order < 0 : a.count < b.count
        }
    }
}

/// Whether `needle` occurs in `haystack`: `memchr` finds each candidate first byte, `memcmp`
/// checks the rest.
private func bytes(_ haystack: UnsafeRawBufferPointer, contain needle: UnsafeRawBufferPointer) -> Bool {
    guard let first = needle.first else { return true }
    guard needle.count <= haystack.count, let base = haystack.baseAddress else { return false }
    let last = haystack.count - needle.count
    var start = 0
    while start <= last {
        guard let hit = memchr(base + start, Int32(first), last - start + 1) else { return false }
        if memcmp(hit, needle.baseAddress!, needle.count) == 0 { return true }
        start = UnsafeRawPointer(hit) - base + 1
    }
    return false
}
