import Foundation

/// Text from outside — folder and file names, tags, profile names, reasons and error messages
/// that quote them — made safe to print on a terminal: control characters (C0, DEL and C1, ESC
/// among them) are shown as `\xNN`, so a name cannot move the cursor, clear the screen, retitle
/// the window or write the clipboard.
///
/// Every human-readable line the CLI prints goes through here: `print` in this module is the
/// function below (it shadows the standard library's), and standard-error text goes through
/// `Terminal.writeError`. `--json` output uses `Swift.print` and keeps values exact (JSON
/// escapes control characters itself).
enum Terminal {
    /// `text` with every control character shown as `\xNN`; with `keepingLineBreaks`, line
    /// feeds and tabs (the CLI's own layout) stay as they are.
    static func safe(_ text: String, keepingLineBreaks: Bool = false) -> String {
        func escaped(_ scalar: Unicode.Scalar) -> Bool {
            isControl(scalar) && !(keepingLineBreaks && (scalar == "\n" || scalar == "\t"))
        }
        guard text.unicodeScalars.contains(where: escaped) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if escaped(scalar) {
                out += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Writes `text`, made safe, to standard error after `control` (the CLI's own cursor
    /// movements such as `\r\e[2K`, written as given).
    static func writeError(_ text: String, after control: String = "") {
        FileHandle.standardError.write(Data((control + safe(text, keepingLineBreaks: true)).utf8))
    }

    /// The width of the terminal on standard error (80 when it cannot be asked).
    static var columns: Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

/// The CLI's `print`: the standard one, with the text made safe for a terminal first.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator)
    Swift.print(Terminal.safe(text, keepingLineBreaks: true), terminator: terminator)
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
