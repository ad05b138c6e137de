import CrateCore
import Foundation

/// A table column: heading, width in columns, and whether numbers align right.
struct Column {
    var title: String
    var width: Int
    var alignRight = false
}

extension Screen {
    /// A framed box with a title; focused boxes draw their frame in the accent colour.
    mutating func box(x: Int, y: Int, width w: Int, height h: Int, title: String = "", focused: Bool = false) {
        guard w >= 2, h >= 2 else { return }
        let style: Style = focused ? .accent : .border
        put("┌" + String(repeating: "─", count: w - 2) + "┐", x: x, y: y, style: style)
        for row in (y + 1)..<(y + h - 1) {
            put("│", x: x, y: row, style: style)
            put("│", x: x + w - 1, y: row, style: style)
        }
        put("└" + String(repeating: "─", count: w - 2) + "┘", x: x, y: y + h - 1, style: style)
        if !title.isEmpty { put(" \(title) ", x: x + 2, y: y, style: focused ? .accent : .title, limit: w - 4) }
    }

    /// One full-width line: filled with the style, then the text.
    mutating func line(_ text: String, x: Int, y: Int, width w: Int, style: Style = .normal) {
        fill(x: x, y: y, width: w, height: 1, style: style)
        put(text, x: x, y: y, style: style, limit: w)
    }

    /// A table with a heading row; the selected row is highlighted and kept in view.
    mutating func table(
        x: Int, y: Int, width w: Int, height h: Int, columns: [Column], rows: [[String]], selected: Int?,
        styles: [Style]? = nil, emptyText: String = ""
    ) {
        guard h > 0 else { return }
        var heading = ""
        for column in columns { heading += cellText(column.title, column) + " " }
        line(heading, x: x, y: y, width: w, style: .header)
        let visible = h - 1
        if rows.isEmpty {
            if visible > 0 { put(DisplayWidth.truncate(emptyText, to: w - 2), x: x + 1, y: y + 1, style: .dim) }
            return
        }
        let first = scrollOffset(selected: selected ?? 0, count: rows.count, visible: visible)
        for (offset, index) in (first..<min(rows.count, first + visible)).enumerated() {
            var text = ""
            for (column, value) in zip(columns, rows[index]) { text += cellText(value, column) + " " }
            let style: Style = index == selected ? .selected : (styles?[index] ?? .normal)
            line(text, x: x, y: y + 1 + offset, width: w, style: style)
        }
    }

    private func cellText(_ value: String, _ column: Column) -> String {
        let cut = DisplayWidth.truncate(value, to: column.width)
        let pad = String(repeating: " ", count: max(0, column.width - DisplayWidth.of(cut)))
        return column.alignRight ? pad + cut : cut + pad
    }

    /// Key hints for the footer: keys in the key colour, their meaning after. The screen's own
    /// hints fill from the left; the hints that work everywhere (`Tab`, `?`, `q`) go at the
    /// right and give way first when the line is too narrow (in that order: everyone knows
    /// `q`), so a screen's own keys — the queue, unlock, copy, delete — stay visible at 80
    /// columns. Own hints that still do not fit are dropped from the end.
    mutating func footer(_ hints: [(String, String)], trailing: [(String, String)] = [], y: Int) {
        fill(x: 0, y: y, width: width, height: 1, style: .footer)
        func needed(_ hint: (String, String)) -> Int { DisplayWidth.of(hint.0) + DisplayWidth.of(hint.1) + 3 }
        let ownWidth = hints.reduce(0) { $0 + needed($1) }
        var trailing = trailing
        while !trailing.isEmpty, ownWidth + trailing.reduce(0, { $0 + needed($1) }) > width {
            trailing.removeFirst()
        }
        let trailingWidth = trailing.reduce(0) { $0 + needed($1) }
        var right = max(0, width - trailingWidth)
        for (key, meaning) in trailing {
            right += put(" \(key)", x: right, y: y, style: .footerKey)
            right += put(" \(meaning) ", x: right, y: y, style: .footer)
        }
        var x = 0
        for hint in hints {
            let (key, meaning) = hint
            guard x + needed(hint) <= width - trailingWidth else { break }
            x += put(" \(key)", x: x, y: y, style: .footerKey)
            x += put(" \(meaning) ", x: x, y: y, style: .footer)
        }
    }
}

/// The first row to show so that `selected` is visible in a window of `visible` rows.
func scrollOffset(selected: Int, count: Int, visible: Int) -> Int {
    guard visible > 0, count > visible else { return 0 }
    return min(max(0, selected - visible / 2), count - visible)
}

enum Format {
    static func bytes(_ value: Int64) -> String { ByteSize.format(value) }

    static func duration(ms: Int?) -> String {
        guard let ms else { return "" }
        let seconds = ms / 1000
        return String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    static func eta(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "–" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }

    /// "2026-03-01 14:05", in the local time zone.
    static func dateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    static func rate(_ bytesPerSecond: Double) -> String {
        bytesPerSecond > 0 ? ByteSize.format(Int64(bytesPerSecond)) + "/s" : "–"
    }
}
