import CrateAppModel
import CrateCore
import CrateImporter

typealias Area = (x: Int, y: Int, width: Int, height: Int)

func renderImport(_ state: State, _ screen: inout Screen, _ area: Area) {
    let topHeight = max(8, area.height / 2)
    let browserWidth = area.width * 2 / 5
    renderBrowser(state, &screen, (area.x, area.y, browserWidth, topHeight))
    renderReview(state, &screen, (area.x + browserWidth, area.y, area.width - browserWidth, topHeight))
    renderQueue(state, &screen, (area.x, area.y + topHeight, area.width, area.height - topHeight))
}

func renderBrowser(_ state: State, _ screen: inout Screen, _ area: Area) {
    let focused = state.importFocus == .browser
    screen.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Folder", focused: focused)
    let inner = (x: area.x + 1, y: area.y + 1, width: area.width - 2, height: area.height - 2)
    screen.put(DisplayWidth.truncate(state.folderPath, to: inner.width), x: inner.x, y: inner.y, style: .dim)
    let visible = inner.height - 1
    guard !state.folderEntries.isEmpty else {
        screen.put("(empty folder)", x: inner.x + 1, y: inner.y + 1, style: .dim, limit: inner.width - 1)
        return
    }
    let first = scrollOffset(selected: state.folderCursor, count: state.folderEntries.count, visible: visible)
    for (row, index) in (first..<min(state.folderEntries.count, first + visible)).enumerated() {
        let entry = state.folderEntries[index]
        let name = entry.isDirectory ? entry.name + "/" : entry.name
        let size = entry.isDirectory ? "" : Format.bytes(entry.size)
        let nameWidth = inner.width - DisplayWidth.of(size) - 1
        let text = DisplayWidth.pad(name, to: nameWidth) + " " + size
        let style: Style = index == state.folderCursor && focused ? .selected : (entry.isDirectory ? .accent : .dim)
        screen.line(text, x: inner.x, y: inner.y + 1 + row, width: inner.width, style: style)
    }
}

func renderReview(_ state: State, _ screen: inout Screen, _ area: Area) {
    screen.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Review")
    let inner = (x: area.x + 2, y: area.y + 1, width: area.width - 4, height: area.height - 2)
    var y = inner.y
    func add(_ text: String, _ style: Style = .normal) {
        guard y < inner.y + inner.height else { return }
        screen.put(text, x: inner.x, y: y, style: style, limit: inner.width)
        y += 1
    }
    guard let review = state.review else {
        if let path = state.reviewing {
            add("Reading \(path)…", .dim)
        } else {
            add("Choose an album folder and press i.", .dim)
            add("Imports go to: \(state.importProfile ?? "(no profile yet)")", .dim)
        }
        return
    }
    add("\(review.artist) – \(review.title)\(review.year.map { " (\($0))" } ?? "")", .title)
    let plan = review.plan
    add(
        "→ \(review.profileName)  \(plan.files) files, \(Format.bytes(plan.bytes)), \(plan.objects) objects, "
            + "~\(Format.eta(plan.estimatedSeconds))", .accent)
    if let cover = review.cover { add("cover: \(cover)", .dim) }
    for warning in review.warnings { add("! \(warning)", .warning) }
    let remaining = inner.y + inner.height - y
    for (index, track) in review.tracks.enumerated() {
        if index == remaining - 1, review.tracks.count > remaining {
            add("… \(review.tracks.count - index) more", .dim)
            break
        }
        let number = track.number.map { String(format: "%2d", $0) } ?? " ·"
        let duration = Format.duration(ms: track.durationMs)
        let name = track.title ?? track.path
        add(DisplayWidth.pad("\(number) \(name)", to: inner.width - 6) + DisplayWidth.pad(duration, to: 6))
    }
}

func renderQueue(_ state: State, _ screen: inout Screen, _ area: Area) {
    let focused = state.importFocus == .queue
    screen.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Queue", focused: focused)
    let inner = (x: area.x + 1, y: area.y + 1, width: area.width - 2, height: area.height - 2)
    let wide = inner.width >= 110
    var columns = [
        Column(title: "Release", width: max(12, inner.width - (wide ? 82 : 66))), Column(title: "Stage", width: 11),
        Column(title: "Bytes", width: 19, alignRight: true), Column(title: "Chunks", width: 9, alignRight: true),
        Column(title: "Rate", width: 10, alignRight: true), Column(title: "ETA", width: 6, alignRight: true),
        Column(title: "Rt", width: 2, alignRight: true),
    ]
    if wide { columns.insert(Column(title: "Profile", width: 14), at: 1) }
    let rows = state.jobs.map { job -> [String] in
        var row = [
            job.title, stageText(job.phase),
            "\(Format.bytes(job.progress.bytesDone))/\(Format.bytes(job.progress.bytesTotal))",
            "\(job.storedChunks)/\(job.chunks.count)",
            job.phase.isActive ? Format.rate(job.progress.bytesPerSecond) : "",
            job.phase.isActive ? Format.eta(job.progress.secondsRemaining) : "", "\(job.progress.retries)",
        ]
        if wide { row.insert(job.profileName, at: 1) }
        return row
    }
    let styles = state.jobs.map { job -> Style in
        switch job.phase {
        case .failed: .error
        case .committed: .success
        case .interrupted, .duplicate, .cancelled: .warning
        default: .normal
        }
    }
    let listHeight = min(inner.height, max(2, min(state.jobs.count + 1, inner.height / 2)))
    screen.table(
        x: inner.x, y: inner.y, width: inner.width, height: listHeight, columns: columns, rows: rows,
        selected: state.jobs.isEmpty || !focused ? nil : state.jobCursor, styles: styles,
        emptyText: "No imports yet.")
    guard let job = state.selectedJob else { return }
    var y = inner.y + listHeight
    let bottom = inner.y + inner.height
    if case .failed(let message) = job.phase, y < bottom {
        y += wrap(
            "Error: " + message, x: inner.x + 1, y: y, width: inner.width - 2, maxLines: 3, style: .error, &screen)
    }
    if job.phase == .interrupted, y < bottom {
        screen.put(
            "Left unfinished by an earlier run: press j then r to resume.", x: inner.x + 1, y: y, style: .warning)
        y += 1
    }
    guard state.chunkMapExpanded, !job.chunks.isEmpty, y < bottom else { return }
    screen.put(
        "Chunk map  █ stored  ▓ in flight  · pending  ↻ retrying  ✗ failed", x: inner.x + 1, y: y, style: .dim,
        limit: inner.width - 2)
    y += 1
    let perRow = inner.width - 2
    var index = 0
    while index < job.chunks.count, y < bottom {
        for column in 0..<perRow where index < job.chunks.count {
            let (glyph, style) = chunkGlyph(job.chunks[index])
            screen.put(glyph, x: inner.x + 1 + column, y: y, style: style)
            index += 1
        }
        y += 1
    }
}

/// Writes `text` wrapped to `width` columns, at most `maxLines`; returns the lines used.
func wrap(_ text: String, x: Int, y: Int, width: Int, maxLines: Int, style: Style, _ screen: inout Screen) -> Int {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        let candidate = current.isEmpty ? String(word) : current + " " + word
        if DisplayWidth.of(candidate) > width, !current.isEmpty {
            lines.append(current)
            current = String(word)
        } else {
            current = candidate
        }
    }
    if !current.isEmpty { lines.append(current) }
    for (offset, line) in lines.prefix(maxLines).enumerated() {
        screen.put(line, x: x, y: y + offset, style: style, limit: width)
    }
    return min(lines.count, maxLines)
}

func chunkGlyph(_ state: ChunkState) -> (String, Style) {
    switch state {
    case .pending: ("·", .chunkPending)
    case .inFlight: ("▓", .chunkInFlight)
    case .stored: ("█", .chunkStored)
    case .retrying: ("↻", .chunkRetrying)
    case .failed: ("✗", .chunkFailed)
    }
}

func stageText(_ phase: ImportJob.Phase) -> String {
    switch phase {
    case .queued: "queued"
    case .interrupted: "interrupted"
    case .running(let stage): stage.rawValue + "…"
    case .cancelling: "cancelling"
    case .committed: "done"
    case .duplicate: "duplicate"
    case .failed: "FAILED"
    case .cancelled: "cancelled"
    }
}
