/// Colour pairs for pictures, made as frames need them. Curses draws a cell in a numbered pair
/// of colours, and the terminal has a fixed number of pairs (often 256, or 32767 usable with
/// ncursesw); the theme's roles take the first ones. A 256-colour terminal gets the palette
/// indices as they are; one with 8 or 16 colours gets the nearest of the 8 basic colours, so
/// a cover is coarse there but still a cover.
struct PicturePairs {
    /// The first pair number pictures may use, and how many there are.
    let first: Int
    let capacity: Int
    let fullPalette: Bool
    private var numbers: [CellColor: Int16] = [:]

    init(first: Int, terminalPairs: Int, terminalColors: Int) {
        self.first = first
        // init_pair takes a short.
        capacity = max(0, min(terminalPairs, Int(Int16.max)) - first)
        fullPalette = terminalColors >= 256
    }

    /// The colours the terminal is asked for: the cell's, or their basic-colour stand-ins.
    func terminalColors(_ color: CellColor) -> CellColor {
        guard !fullPalette else { return color }
        return CellColor(
            foreground: UInt8(Palette256.basic(color.foreground)), background: UInt8(Palette256.basic(color.background))
        )
    }

    /// Whether `screen`'s pictures fit in the pairs left; when they do not, `reset` and a full
    /// redraw give them every pair again (a pair redefined under cells already drawn would
    /// recolour them, so nothing old may stay on the terminal).
    func fits(_ screen: Screen) -> Bool {
        var new = Set<CellColor>()
        for cell in screen.cells {
            guard let color = cell.color else { continue }
            let wanted = terminalColors(color)
            if numbers[wanted] == nil { new.insert(wanted) }
        }
        return numbers.count + new.count <= capacity
    }

    mutating func reset() { numbers = [:] }

    /// The pair for `color`, defining it (through `define`) the first time; `nil` when no pair
    /// is left, and the cell is drawn blank.
    mutating func pair(for color: CellColor, define: (Int16, Int16, Int16) -> Void) -> Int16? {
        let wanted = terminalColors(color)
        if let number = numbers[wanted] { return number }
        guard numbers.count < capacity else { return nil }
        let number = Int16(first + numbers.count)
        define(number, Int16(wanted.foreground), Int16(wanted.background))
        numbers[wanted] = number
        return number
    }
}
