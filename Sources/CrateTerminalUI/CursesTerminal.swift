import CNCursesW
import CrateAppModel
import Foundation

/// The only code that touches curses: sets the terminal up, reads keys, and copies a `Screen`
/// to it, writing only the cells that changed since the last frame (so nothing flickers).
final class CursesTerminal {
    enum Input {
        case key(Key)
        case resized
    }

    private var previous: Screen?
    private var pairs: [Style: Int16] = [:]
    private var attributes: [Style: attr_t] = [:]
    /// Pairs for pictures' own colours; `nil` without colours (then pictures are not drawn).
    private var picturePairs: PicturePairs?

    init(theme: Theme) {
        setlocale(LC_ALL, "")
        initscr()
        raw()
        noecho()
        keypad(crate_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        timeout(30)
        let colors = has_colors() && theme.hasColors
        if colors {
            start_color()
            use_default_colors()
        }
        for (index, style) in Style.allCases.enumerated() {
            let look = theme.look(style)
            var attr = crate_a_normal()
            if look.bold { attr |= crate_a_bold() }
            if look.dim { attr |= crate_a_dim() }
            if look.reverse { attr |= crate_a_reverse() }
            if look.underline { attr |= crate_a_underline() }
            attributes[style] = attr
            if colors {
                let pair = Int16(index + 1)
                let limit = Int(crate_colors())
                init_pair(
                    pair, Int16(look.foreground < limit ? look.foreground : -1),
                    Int16(look.background < limit ? look.background : -1))
                pairs[style] = pair
            }
        }
        if colors {
            picturePairs = PicturePairs(
                first: Style.allCases.count + 1, terminalPairs: Int(crate_color_pairs()),
                terminalColors: Int(crate_colors()))
        }
    }

    deinit {
        endwin()
    }

    var size: (width: Int, height: Int) { (Int(crate_cols()), Int(crate_lines())) }

    /// Makes the next `draw` clear the terminal and write every cell, whatever curses believes
    /// is on it (Ctrl-L: for a terminal that lost or garbled what was drawn).
    func repaintAll() {
        previous = nil
        crate_repaint_all_on_refresh()
    }

    /// Waits up to 30 ms for a key.
    func read() -> Input? {
        var character: wint_t = 0
        let result = crate_get_wch(&character)
        if result == KEY_CODE_YES {
            if Int32(character) == crate_key_resize() {
                previous = nil
                return .resized
            }
            return Self.decode(function: Int32(character)).map(Input.key)
        }
        guard result == OK else { return nil }
        return Self.decode(character: UInt32(character)).map(Input.key)
    }

    static func decode(function code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_ENTER: .enter
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_BTAB: .backTab
        default: nil
        }
    }

    static func decode(character value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        default: return Unicode.Scalar(value).map { .character(Character($0)) }
        }
    }

    /// Copies `screen` out, touching only cells that differ from the last frame.
    func draw(_ screen: Screen) {
        var old = previous.flatMap { $0.width == screen.width && $0.height == screen.height ? $0 : nil }
        if let fits = picturePairs?.fits(screen), !fits {
            picturePairs?.reset()
            old = nil
        }
        if old == nil { erase() }
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                let cell = screen[x, y]
                if let old, old[x, y] == cell { continue }
                var start = x
                while start > 0, screen[start, y].isContinuation { start -= 1 }
                let base = screen[start, y]
                guard !base.isContinuation else { continue }
                if let color = base.color {
                    drawPicture(color, text: base.text, x: start, y: y)
                    continue
                }
                crate_set_attr(attributes[base.style] ?? crate_a_normal(), pairs[base.style] ?? 0)
                // The last cell of the screen is written too; curses may report ERR for the
                // cursor moving past it, which is harmless.
                _ = crate_put(Int32(y), Int32(start), base.text)
            }
        }
        refresh()
        previous = screen
    }

    /// One cell of a picture in its own colours; a blank where the terminal has no colours or
    /// no pair left.
    private func drawPicture(_ color: CellColor, text: String, x: Int, y: Int) {
        let pair = picturePairs?.pair(for: color) { number, foreground, background in
            init_pair(number, foreground, background)
        }
        crate_set_attr(crate_a_normal(), pair ?? 0)
        _ = crate_put(Int32(y), Int32(x), pair == nil ? " " : text)
    }
}
