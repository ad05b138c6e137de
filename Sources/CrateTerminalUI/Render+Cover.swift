import CrateAppModel
import CrateCover

/// Where the detail pane's cover goes: the top right corner, beside the release's header
/// lines, `columns × rows` cells (two pixels a cell, one above the other).
struct CoverPlacement {
    var x: Int
    var y: Int
    var columns: Int
    var rows: Int
    /// The picture to draw; `nil` while it is being read (the place is kept, so nothing jumps
    /// when it comes).
    var image: CoverImage?

    /// The tallest cover, in rows: 32×32 pixels, what the live environment decodes.
    static let maxRows = 16
    /// The smallest worth drawing.
    static let minRows = 6
    /// Columns the header lines keep beside the cover.
    static let textColumns = 30
    /// Rows the file list keeps below it.
    static let listRows = 10

    /// The cover's place in the detail pane's `inner` area, or `nil` when covers are off, the
    /// release has none (or none that reads), or the pane is too small to hold one beside
    /// its text (an 80×24 terminal).
    init?(_ state: State, _ detail: ReleaseDetail, _ inner: Area) {
        guard state.coverArt, let entry = state.covers[detail.id] else { return nil }
        let image: CoverImage?
        switch entry {
        case .loading: image = nil
        case .loaded(let loaded): image = loaded
        case .unavailable: return nil
        }
        let rows = min(Self.maxRows, inner.height - Self.listRows - 1, (inner.width - Self.textColumns - 2) / 2)
        guard rows >= Self.minRows else { return nil }
        // A pixel is half a cell: square pixels, so a square cover is twice as wide as tall.
        var size: (width: Int, height: Int) = image?.size(fitting: rows * 2, rows * 2) ?? (rows * 2, rows * 2)
        size.height += size.height % 2
        self.image = image?.resized(width: size.width, height: size.height)
        columns = size.width
        self.rows = size.height / 2
        x = inner.x + inner.width - columns
        y = inner.y
    }

    var bottom: Int { y + rows }

    /// Draws the picture with upper half blocks: the top pixel is the character's colour, the
    /// bottom one the cell's background.
    func draw(_ screen: inout Screen) {
        guard let image else { return }
        for row in 0..<rows {
            for column in 0..<columns {
                let top = Palette256.index(of: image[column, row * 2])
                let bottom = Palette256.index(of: image[column, row * 2 + 1])
                screen.paint("▀", x: x + column, y: y + row, color: CellColor(foreground: top, background: bottom))
            }
        }
    }
}

/// Why a release's cover is not shown, for one dim line in the detail pane; `nil` when there
/// is nothing to say (covers off, no cover, or it is shown).
func coverNote(_ state: State, _ detail: ReleaseDetail) -> String? {
    guard state.coverArt, let path = detail.cover, case .unavailable(let why) = state.covers[detail.id] else {
        return nil
    }
    return "Cover \(path) not shown: \(why)"
}
