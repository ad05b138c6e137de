import Foundation

/// Parses the small part of TOML that theme and config files use: `[table]` and `[a.b]`
/// headers, `key = value` with a double-quoted string, `true`/`false` or an integer, and `#`
/// comments. Anything else is an error naming the line, so a typo never passes silently.
enum TOMLSubset {
    enum Value: Hashable {
        case string(String)
        case bool(Bool)
        case integer(Int)
    }

    struct ParseError: Error, Hashable {
        var line: Int
        var message: String
    }

    /// One `key = value` line, with its dotted key and line number.
    struct Entry: Hashable {
        var key: String
        var value: Value
        var line: Int
    }

    /// Values by dotted key: `[styles.normal]` then `fg = "red"` gives `styles.normal.fg`.
    static func parse(_ text: String) throws(ParseError) -> [String: Value] {
        Dictionary(try entries(text).map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// The `key = value` lines in file order, for callers that name the line of a value.
    static func entries(_ text: String) throws(ParseError) -> [Entry] {
        var result: [Entry] = []
        var table = ""
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = stripComment(String(raw)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw ParseError(line: number, message: "a table header must look like [name]")
                }
                table = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard !table.isEmpty, table.allSatisfy(isKeyCharacter) else {
                    throw ParseError(line: number, message: "bad table name \"\(table)\"")
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(line: number, message: "expected key = value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy(isKeyCharacter) else {
                throw ParseError(line: number, message: "bad key \"\(key)\"")
            }
            let valueText = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard let value = parseValue(valueText) else {
                throw ParseError(
                    line: number, message: "the value of \(key) must be a \"string\", true, false or a whole number")
            }
            result.append(Entry(key: table.isEmpty ? key : table + "." + key, value: value, line: number))
        }
        return result
    }

    static func isKeyCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "-" || c == "."
    }

    /// The line up to a `#` that is not inside a string.
    static func stripComment(_ line: String) -> String {
        var inString = false
        var result = ""
        var escaped = false
        for c in line {
            if inString {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inString = false
                }
            } else if c == "\"" {
                inString = true
            } else if c == "#" {
                break
            }
            result.append(c)
        }
        return result
    }

    static func parseValue(_ text: String) -> Value? {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if let number = Int(text) { return .integer(number) }
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return nil }
        var result = ""
        var escaped = false
        for c in text.dropFirst().dropLast() {
            if escaped {
                switch c {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\"", "\\": result.append(c)
                default: return nil
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "\"" {
                return nil
            } else {
                result.append(c)
            }
        }
        return escaped ? nil : .string(result)
    }
}
