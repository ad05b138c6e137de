import Foundation

/// Colours and attributes for each `Style`, read from a TOML theme file.
public struct Theme: Hashable, Sendable {
    /// A terminal colour: one of the 8 named ones (0–7), a 256-colour index, or the terminal's default (-1).
    public typealias Color = Int

    public struct Look: Hashable, Sendable {
        public var foreground: Color = -1
        public var background: Color = -1
        public var bold = false
        public var dim = false
        public var reverse = false
        public var underline = false

        public init() {}
    }

    public var name: String
    public var looks: [Style: Look]

    public func look(_ style: Style) -> Look { looks[style] ?? looks[.normal] ?? Look() }

    /// Whether any role has a colour. A theme without (`mono`, or any theme under `NO_COLOR`)
    /// shows no covers either: a picture is nothing but colours.
    public var hasColors: Bool { looks.values.contains { $0.foreground >= 0 || $0.background >= 0 } }

    static let colorNames = [
        "default": -1, "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6,
        "white": 7, "bright-black": 8, "gray": 8, "grey": 8, "bright-red": 9, "bright-green": 10,
        "bright-yellow": 11, "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Reads a theme: `name = "..."`, then one `[styles.ROLE]` table per role with `fg`, `bg`
    /// (a colour name or 0–255) and `bold`, `dim`, `reverse`, `underline`. Roles left out
    /// look like `normal`.
    public static func parse(_ text: String, file: String) throws(ThemeError) -> Theme {
        let values: [String: TOMLSubset.Value]
        do {
            values = try TOMLSubset.parse(text)
        } catch {
            throw ThemeError(file: file, line: error.line, message: error.message)
        }
        func line(of key: String) -> Int {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let leaf = key.split(separator: ".").last.map(String.init) ?? key
            return (lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(leaf) } ?? 0) + 1
        }
        var theme = Theme(name: (file as NSString).lastPathComponent, looks: [:])
        if case .string(let name) = values["name"] { theme.name = name }
        for (key, value) in values where key != "name" {
            let parts = key.split(separator: ".").map(String.init)
            guard parts.count == 3, parts[0] == "styles" else {
                throw ThemeError(file: file, line: line(of: key), message: "unknown setting \(key)")
            }
            guard let style = Style(rawValue: parts[1]) else {
                throw ThemeError(
                    file: file, line: line(of: key),
                    message:
                        "unknown style \(parts[1]); known: \(Style.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var look = theme.looks[style] ?? Look()
            switch (parts[2], value) {
            case ("fg", _), ("bg", _):
                let color: Int?
                switch value {
                case .string(let name): color = colorNames[name.lowercased()]
                case .integer(let n): color = (0...255).contains(n) ? n : nil
                case .bool: color = nil
                }
                guard let color else {
                    throw ThemeError(
                        file: file, line: line(of: key), message: "\(key): not a colour name or a number 0–255")
                }
                if parts[2] == "fg" { look.foreground = color } else { look.background = color }
            case ("bold", .bool(let on)): look.bold = on
            case ("dim", .bool(let on)): look.dim = on
            case ("reverse", .bool(let on)): look.reverse = on
            case ("underline", .bool(let on)): look.underline = on
            default:
                throw ThemeError(
                    file: file, line: line(of: key),
                    message: "\(key): expected fg, bg, or bold/dim/reverse/underline = true|false")
            }
            theme.looks[style] = look
        }
        return theme
    }

    /// The same theme without colours, for `NO_COLOR`: attributes only. A role that a
    /// background colour set apart (a selection, a bar) is reversed instead, so it still stands
    /// out; the selected row always is.
    public var withoutColors: Theme {
        var copy = self
        for (style, look) in looks {
            var plain = look
            if look.background >= 0 || style == .selected { plain.reverse = true }
            plain.foreground = -1
            plain.background = -1
            copy.looks[style] = plain
        }
        if copy.looks[.selected] == nil {
            var reversed = Look()
            reversed.reverse = true
            copy.looks[.selected] = reversed
        }
        return copy
    }
}

/// A theme file that could not be read, naming the file and line.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String {
        line > 0 ? "theme \(file), line \(line): \(message)" : "theme \(file): \(message)"
    }
}
