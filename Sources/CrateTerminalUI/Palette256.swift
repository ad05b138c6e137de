import CrateCover

/// The xterm 256-colour palette, which 256-colour terminals share: 16 system colours, a
/// 6×6×6 cube (16–231) and a 24-step grey ramp (232–255). Pictures are quantised to the cube
/// and the ramp only, whose colours are fixed; the 16 system colours vary with the terminal's
/// settings.
enum Palette256 {
    /// The cube's six levels of each channel.
    static let levels = [0, 95, 135, 175, 215, 255]

    /// The cube or grey colour nearest to `rgb`.
    static func index(of rgb: CoverImage.RGB) -> UInt8 {
        let (r, g, b) = (Int(rgb.red), Int(rgb.green), Int(rgb.blue))
        let cube = 16 + 36 * level(r) + 6 * level(g) + level(b)
        let grey = 232 + min(23, max(0, ((r + g + b) / 3 - 3) / 10))
        return UInt8(distance(cube, r, g, b) <= distance(grey, r, g, b) ? cube : grey)
    }

    /// The nearest of the cube's six levels to a channel's value.
    static func level(_ value: Int) -> Int {
        value < 48 ? 0 : value < 115 ? 1 : (value - 35) / 40
    }

    /// A palette colour's RGB (system colours as xterm's defaults).
    static func rgb(of index: Int) -> (Int, Int, Int) {
        switch index {
        case 0..<16:
            let system = [
                (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
                (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
                (255, 0, 255), (0, 255, 255), (255, 255, 255),
            ]
            return system[index]
        case 16..<232:
            let n = index - 16
            return (levels[n / 36], levels[n / 6 % 6], levels[n % 6])
        default:
            let grey = 8 + 10 * (index - 232)
            return (grey, grey, grey)
        }
    }

    static func distance(_ index: Int, _ r: Int, _ g: Int, _ b: Int) -> Int {
        let (pr, pg, pb) = rgb(of: index)
        return (pr - r) * (pr - r) + (pg - g) * (pg - g) + (pb - b) * (pb - b)
    }

    /// The nearest of the 8 basic colours (0–7), for a terminal without 256 colours.
    static func basic(_ index: UInt8) -> Int16 {
        let (r, g, b) = rgb(of: Int(index))
        return Int16((0..<8).min { distance($0, r, g, b) < distance($1, r, g, b) }!)
    }
}
