import CrateAppModel
import CrateCore

func renderReleases(_ state: State, _ screen: inout Screen, _ area: Area) {
    let listWidth = area.width * 9 / 20
    renderReleaseList(state, &screen, (area.x, area.y, listWidth, area.height))
    renderDetail(state, &screen, (area.x + listWidth, area.y, area.width - listWidth, area.height))
}

func renderReleaseList(_ state: State, _ screen: inout Screen, _ area: Area) {
    screen.box(
        x: area.x, y: area.y, width: area.width, height: area.height, title: "Releases", focused: !state.detailFocused)
    let inner = (x: area.x + 1, y: area.y + 1, width: area.width - 2, height: area.height - 2)
    if state.filtering || !state.filter.isEmpty {
        let x = inner.x + screen.put("/", x: inner.x, y: inner.y, style: .accent)
        screen.line(
            state.filter + (state.filtering ? "▏" : ""), x: x, y: inner.y, width: inner.width - 1, style: .input)
    } else {
        screen.put(
            "\(state.visibleReleases.count) release\(state.visibleReleases.count == 1 ? "" : "s") · sorted by "
                + state.sort.rawValue, x: inner.x, y: inner.y,
            style: .dim, limit: inner.width)
    }
    if state.filtering || !state.filter.isEmpty {
        let count = "\(state.visibleReleases.count)/\(state.releases.count)"
        screen.put(count, x: inner.x + inner.width - DisplayWidth.of(count), y: inner.y, style: .dim)
    }
    let yearWidth = 4
    // Only the rows in view are formatted: the list may hold 100,000 releases.
    let window = max(0, inner.height - 2)
    let first = scrollOffset(selected: state.releaseCursor, count: state.visibleReleases.count, visible: window)
    let shown = state.visibleReleases[first..<min(state.visibleReleases.count, first + window)]
    // Where each release in view is stored, as wide as its longest list within a third of the list.
    let widest = shown.map { DisplayWidth.of(state.releases[$0].profiles.joined(separator: ",")) }.max() ?? 0
    let profilesWidth = min(max(8, widest), max(8, inner.width / 3))
    let titleWidth = inner.width - yearWidth - profilesWidth - 3
    let columns = [
        Column(title: "Artist – Title", width: titleWidth), Column(title: "Year", width: yearWidth),
        Column(title: "Profiles", width: profilesWidth),
    ]
    let rows = shown.map { index -> [String] in
        let row = state.releases[index]
        let busy = state.busyReleases.contains(row.id) ? "⟳ " : ""
        return [
            busy + "\(row.artist) – \(row.title)", row.year.map(String.init) ?? "", row.profiles.joined(separator: ","),
        ]
    }
    let empty =
        !state.releasesLoaded
        ? "Loading…"
        : state.releases.isEmpty
            ? "Nothing imported yet: press 2 to import a folder." : "No release matches the filter."
    screen.table(
        x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1, columns: columns, rows: rows,
        selected: rows.isEmpty ? nil : state.releaseCursor - first, emptyText: empty)
}

func renderDetail(_ state: State, _ screen: inout Screen, _ area: Area) {
    screen.box(
        x: area.x, y: area.y, width: area.width, height: area.height, title: "Detail", focused: state.detailFocused)
    let inner = (x: area.x + 2, y: area.y + 1, width: area.width - 4, height: area.height - 2)
    guard let detail = state.detail, detail.id == state.selectedRelease?.id else {
        if state.selectedRelease != nil { screen.put("Loading…", x: inner.x, y: inner.y, style: .dim) }
        return
    }
    var y = inner.y
    let bottom = inner.y + inner.height
    let cover = CoverPlacement(state, detail, inner)
    cover?.draw(&screen)
    /// Lines beside the cover stop short of it.
    func width(at y: Int) -> Int {
        guard let cover, y < cover.bottom else { return inner.width }
        return inner.width - cover.columns - 2
    }
    func add(_ text: String, _ style: Style = .normal) {
        guard y < bottom else { return }
        screen.put(text, x: inner.x, y: y, style: style, limit: width(at: y))
        y += 1
    }
    add(detail.artist, .title)
    add(detail.title + (detail.year.map { " (\($0))" } ?? ""), .title)
    let facts = [detail.label, detail.catalogNumber].compactMap { $0 }.joined(separator: " · ")
    if !facts.isEmpty { add(facts, .dim) }
    // Where the copies are matters more than fitting one line: a long list wraps (two lines).
    if y < bottom {
        y += wrap(
            "id \(detail.id.prefix(12))  on: \(detail.copies.joined(separator: ", "))", x: inner.x, y: y,
            width: width(at: y + 1), maxLines: min(2, bottom - y), style: .dim, &screen)
    }
    for line in verifiedLines(detail) { add(line.text, line.style) }
    if let note = coverNote(state, detail) { add(note, .dim) }
    if let cover { y = max(y, cover.bottom + 1) }
    let pieceLines = min(5, max(0, (state.detailFocused ? detail.files[safe: state.fileCursor]?.pieces.count : 0) ?? 0))
    let fileRows = min(detail.files.count + 1, max(2, bottom - y - (pieceLines > 0 ? pieceLines + 2 : 0)))
    let columns = [
        Column(title: "File", width: max(8, inner.width - 17)), Column(title: "Size", width: 9, alignRight: true),
        Column(title: "Time", width: 5, alignRight: true),
    ]
    let rows = detail.files.map { [$0.path, Format.bytes($0.size), Format.duration(ms: $0.durationMs)] }
    screen.table(
        x: inner.x, y: y, width: inner.width, height: min(fileRows, bottom - y), columns: columns, rows: rows,
        selected: state.detailFocused ? state.fileCursor : nil)
    y += min(fileRows, bottom - y) + 1
    guard state.detailFocused, let file = detail.files[safe: state.fileCursor], y < bottom else { return }
    if file.pieces.isEmpty {
        add("stored whole (one object)", .dim)
        return
    }
    add("\(file.pieces.count) piece\(file.pieces.count == 1 ? "" : "s"): chunk @offset +length", .header)
    for (index, piece) in file.pieces.enumerated() {
        if y == bottom - 1, index < file.pieces.count - 1 {
            add("… \(file.pieces.count - index) more", .dim)
            break
        }
        add(
            "#\(piece.chunkIndex) @\(piece.byteOffset) +\(Format.bytes(piece.byteLength))  \(piece.objectKey)", .dim)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// "Verified: 2026-03-01 14:05 ok", "… FAILED (2 problems: …)" or "Verified: never": one line,
/// or one per copy (named) when the release has several.
func verifiedLines(_ detail: ReleaseDetail) -> [(text: String, style: Style)] {
    let copies = detail.verifications.isEmpty ? [.init(profile: "", date: nil, result: nil)] : detail.verifications
    return copies.map { copy in
        let label = copies.count > 1 ? "Verified on \(copy.profile): " : "Verified: "
        guard let date = copy.date else { return (label + "never", .dim) }
        let when = Format.dateTime(date)
        guard copy.isOK else { return (label + "\(when) FAILED (\(copy.result ?? ""))", .error) }
        return (label + "\(when) ok", .dim)
    }
}
