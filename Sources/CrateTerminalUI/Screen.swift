import CrateCore

/// One terminal cell: a grapheme cluster (with its combining marks) and its style. A wide
/// character's second cell is a continuation, with empty text.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var style: Style
    /// A picture's own colours (a cover), drawn instead of the style's; `nil` for text.
    public var color: CellColor?

    public static let blank = Cell(text: " ", style: .normal)

    public var isContinuation: Bool { text.isEmpty }
}

/// The colours of one cell of a picture: xterm 256-colour palette indices (`Palette256`).
/// Pictures are the one place where renderers pick colours, not roles; the terminal driver
/// maps them to what the terminal has.
public struct CellColor: Hashable, Sendable {
    public var foreground: UInt8
    public var background: UInt8

    public init(foreground: UInt8, background: UInt8) {
        self.foreground = foreground
        self.background = background
    }
}

/// An in-memory grid of cells: what `render` produces and the driver copies to the terminal.
public struct Screen: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes `text` at (x, y) in `style`, clipped to `limit` columns (and the screen edge); a
    /// wide character that would not fit whole becomes a space. Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, x + (limit ?? width))
        var column = x
        for character in text {
            if character == "\n" || character == "\t" {
                if column < end, column >= 0 { set(column, y, Cell(text: " ", style: style)) }
                column += 1
                continue
            }
            let w = DisplayWidth.of(character)
            if w == 0 {
                // A lone combining mark or control: attach marks to the previous cell, drop controls.
                if column > x, column - 1 < end, character.unicodeScalars.first!.properties.generalCategory != .control
                {
                    var previous = column - 1
                    while previous > 0, cells[y * width + previous].isContinuation { previous -= 1 }
                    cells[y * width + previous].text.append(character)
                }
                continue
            }
            if column + w > end {
                while column < end {
                    if column >= 0 { set(column, y, Cell(text: " ", style: style)) }
                    column += 1
                }
                break
            }
            if column >= 0 {
                set(column, y, Cell(text: String(character), style: style))
                if w == 2 { set(column + 1, y, Cell(text: "", style: style)) }
            }
            column += w
        }
        return column - x
    }

    /// Fills a rectangle with spaces in `style`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style = .normal) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) {
                cells[row * width + column] = Cell(text: " ", style: style)
            }
        }
    }

    /// Writes one single-width character at (x, y) in a picture's own colours; off-screen is
    /// ignored.
    public mutating func paint(_ character: Character, x: Int, y: Int, color: CellColor) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        set(x, y, Cell(text: String(character), style: .normal, color: color))
    }

    /// Sets one cell, first blanking what a wide character half-covered.
    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        let index = y * width + x
        if cells[index].isContinuation, x > 0, !cells[index - 1].isContinuation, !cell.isContinuation {
            cells[index - 1] = Cell(text: " ", style: cells[index - 1].style)
        }
        if !cells[index].isContinuation, x + 1 < width, cells[index + 1].isContinuation,
            !cell.isContinuation, DisplayWidth.of(cell.text) < 2
        {
            cells[index + 1] = Cell(text: " ", style: cells[index + 1].style)
        }
        cells[index] = cell
    }

    /// The text of row `y` as a terminal shows it.
    public func line(_ y: Int) -> String {
        (0..<width).map { self[$0, y].text }.joined()
    }

    /// The whole screen as text, trailing spaces trimmed: what golden files hold.
    public var text: String {
        (0..<height).map { y in
            var line = line(y)
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }

    /// One style code per cell (continuations repeat their character's code), trailing
    /// normal cells trimmed: the attribute golden files. A picture's cells show as `@`, and
    /// their colours follow the grid, one line per run of them (a screen without pictures
    /// has no such part).
    public var styleText: String {
        let grid = (0..<height).map { y in
            var line = String((0..<width).map { self[$0, y].color == nil ? self[$0, y].style.code : "@" })
            while line.last == " " { line.removeLast() }
            return line
        }
        let colors = colorRuns
        guard !colors.isEmpty else { return grid.joined(separator: "\n") + "\n" }
        return (grid + ["", "colours (row column: foreground/background, xterm-256)"] + colors)
            .joined(separator: "\n") + "\n"
    }

    /// "row column: fg/bg fg/bg …" for each run of picture cells.
    private var colorRuns: [String] {
        var runs: [String] = []
        for y in 0..<height {
            var x = 0
            while x < width {
                guard self[x, y].color != nil else {
                    x += 1
                    continue
                }
                var run = "\(y) \(x):"
                while x < width, let color = self[x, y].color {
                    run += " \(color.foreground)/\(color.background)"
                    x += 1
                }
                runs.append(run)
            }
        }
        return runs
    }
}
