import CrateAppModel
import CrateCore
import CrateImporter
import Foundation

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
    if let batch = review.batch {
        renderBatchReview(review, batch, add)
        return
    }
    add("\(review.artist) – \(review.title)\(review.year.map { " (\($0))" } ?? "")", .title)
    let plan = review.plan
    // The estimate before the counts: on a narrow panel the end of the line is cut.
    add(
        "→ \(review.profileName)  ~\(Format.eta(plan.estimatedSeconds))  \(plan.files) file\(plan.files == 1 ? "" : "s"), "
            + "\(Format.bytes(plan.bytes)), \(plan.objects) objects", .accent)
    if let note = review.catalogNote, y < inner.y + inner.height {
        // Whether the import stores anything at all: worth the lines it takes.
        y += wrap(
            "= \(note)", x: inner.x, y: y, width: inner.width, maxLines: min(3, inner.y + inner.height - y),
            style: .accent, &screen)
    }
    if let cover = review.cover { add("cover: \(cover)", .dim) }
    for warning in review.warnings { add("! \(warning)", .warning) }
    if let audio = review.audio { renderAudioPreflight(audio, add) }
    let remaining = inner.y + inner.height - y
    // A release on several discs numbers its tracks disc-track: 2-01 is not a second 1.
    let discs = Set(review.tracks.map { $0.disc ?? 1 })
    for (index, track) in review.tracks.enumerated() {
        if index == remaining - 1, review.tracks.count > remaining {
            add("… \(review.tracks.count - index) more", .dim)
            break
        }
        var number = track.number.map { String(format: "%2d", $0) } ?? " ·"
        if discs.count > 1 {
            number = "\(track.disc ?? 1)-" + (track.number.map { String(format: "%02d", $0) } ?? "··")
        }
        let duration = Format.duration(ms: track.durationMs)
        let name = track.title ?? track.path
        add(DisplayWidth.pad("\(number) \(name)", to: inner.width - 6) + DisplayWidth.pad(duration, to: 6))
    }
}

/// What the audio check of the release under review found, or that it runs.
private func renderAudioPreflight(_ audio: AudioPreflight, _ add: (String, Style) -> Void) {
    let files = "\(audio.files) audio file\(audio.files == 1 ? "" : "s")"
    if let failure = audio.failure {
        add("! audio check stopped: \(failure)", .warning)
    } else if !audio.isDone {
        add("audio: checking \(files)…", .dim)
    } else if audio.damaged.isEmpty {
        let intact = audio.files - audio.uncheckable
        add(
            "audio: \(intact) of \(files) decoded intact"
                + (audio.uncheckable > 0 ? ", \(audio.uncheckable) cannot be checked (no audio MD5)" : ""), .dim)
    } else {
        add("! audio: \(audio.damaged.count) of \(files) damaged; Enter asks before importing them", .warning)
        for file in audio.damaged.prefix(3) { add("!   \(file.path): \(file.reason)", .warning) }
        if audio.damaged.count > 3 { add("!   … \(audio.damaged.count - 3) more", .warning) }
    }
}

/// A folder of releases: how many, what they cost together, what is left out and why, then
/// the release folders (relative to the reviewed one).
private func renderBatchReview(
    _ review: ReleaseReview, _ batch: ReleaseReview.Batch, _ add: (String, Style) -> Void
) {
    let count = batch.releases.count
    add("\(count) release\(count == 1 ? "" : "s") in \(review.title)", .title)
    let plan = review.plan
    add(
        "→ \(review.profileName)  ~\(Format.eta(plan.estimatedSeconds))  \(plan.files) files, "
            + "\(Format.bytes(plan.bytes)), \(plan.objects) objects", .accent)
    if !batch.skipped.isEmpty { add("\(batch.skipped.count) skipped:", .warning) }
    let prefix = review.path.hasSuffix("/") ? review.path : review.path + "/"
    func relative(_ path: String) -> String { path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path }
    for skipped in batch.skipped { add("! \(relative(skipped.path)): \(skipped.reason)", .warning) }
    for note in review.warnings { add("· \(note)", .dim) }
    for release in batch.releases { add(relative(release), .normal) }
}

/// The queue's overall line when it holds several imports: releases ended of all, bytes,
/// the summed rate and the time left (queued releases not yet planned counted at the average
/// size of those planned).
func queueSummary(_ jobs: [ImportJob]) -> String? {
    guard jobs.count > 1 else { return nil }
    let ended = jobs.filter(\.phase.isFinished).count
    let done = jobs.reduce(Int64(0)) { $0 + $1.progress.bytesDone }
    let planned = jobs.filter { $0.progress.bytesTotal > 0 }
    let known = planned.reduce(Int64(0)) { $0 + $1.progress.bytesTotal }
    let unplanned = jobs.filter { $0.progress.bytesTotal == 0 && $0.phase.isActive }.count
    let total = known + (planned.isEmpty ? 0 : known / Int64(planned.count) * Int64(unplanned))
    let rate = jobs.filter(\.phase.isActive).reduce(0.0) { $0 + $1.progress.bytesPerSecond }
    var text = "\(ended)/\(jobs.count) releases  \(Format.bytes(done))/\(Format.bytes(total))"
    if rate > 0 {
        text += "  \(Format.rate(rate))  ETA \(Format.eta(Double(max(0, total - done)) / rate))"
    }
    return text
}

func renderQueue(_ state: State, _ screen: inout Screen, _ area: Area) {
    let focused = state.importFocus == .queue
    screen.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Queue", focused: focused)
    var inner = (x: area.x + 1, y: area.y + 1, width: area.width - 2, height: area.height - 2)
    if let summary = queueSummary(state.jobs), inner.height > 3 {
        screen.put(summary, x: inner.x + 1, y: inner.y, style: .accent, limit: inner.width - 1)
        inner.y += 1
        inner.height -= 1
    }
    let wide = inner.width >= 110
    var columns = [
        Column(title: "Release", width: max(12, inner.width - (wide ? 84 : 68))), Column(title: "Stage", width: 11),
        Column(title: "Bytes", width: 19, alignRight: true), Column(title: "Chunks", width: 11, alignRight: true),
        Column(title: "Rate", width: 10, alignRight: true), Column(title: "ETA", width: 6, alignRight: true),
        Column(title: "Rt", width: 2, alignRight: true),
    ]
    if wide { columns.insert(Column(title: "Profile", width: 14), at: 1) }
    let rows = state.jobs.map { job -> [String] in
        let active = job.phase.isActive
        var row = [
            job.title, stageText(job.phase),
            "\(Format.bytes(job.progress.bytesDone))/\(Format.bytes(job.progress.bytesTotal))",
            "\(job.storedChunks)/\(job.chunks.count)",
            active ? (job.progress.stalledSeconds == nil ? Format.rate(job.progress.bytesPerSecond) : "stalled") : "",
            active && job.progress.stalledSeconds == nil ? Format.eta(job.progress.secondsRemaining) : "",
            "\(job.progress.retries)",
        ]
        if wide { row.insert(job.profileName, at: 1) }
        return row
    }
    let styles = state.jobs.map { job -> Style in
        switch job.phase {
        case .failed: .error
        case .committed: .success
        case .interrupted, .paused, .stopped, .duplicate, .cancelled: .warning
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
    let textWidth = inner.width - 2
    if case .failed(let message) = job.phase, y < bottom {
        y += wrap("Error: " + message, x: inner.x + 1, y: y, width: textWidth, maxLines: 3, style: .error, &screen)
    }
    if case .stopped(let message) = job.phase, y < bottom {
        y += wrap(
            "Stopped, what it stored kept (r resumes): " + message, x: inner.x + 1, y: y, width: textWidth,
            maxLines: 3, style: .warning, &screen)
    }
    if job.phase == .interrupted || job.phase == .paused, y < bottom {
        let why = job.phase == .paused ? "Paused" : "Left unfinished by an earlier run"
        screen.put(
            "\(why), what it stored kept: r resumes.", x: inner.x + 1, y: y, style: .warning, limit: textWidth)
        y += 1
    }
    if job.phase.isActive, let stall = job.progress.stallText, y < bottom {
        y += wrap(stall, x: inner.x + 1, y: y, width: textWidth, maxLines: 2, style: .warning, &screen)
    }
    let storing = job.progress.filesInFlight
    if job.phase.isActive, !storing.isEmpty, y < bottom {
        let names = storing.map { ($0 as NSString).lastPathComponent }
        let text =
            names.count > 2
            ? "Storing \(names[0]) … \(names[names.count - 1]) (\(names.count) files)"
            : "Storing " + names.joined(separator: ", ")
        screen.put(text, x: inner.x + 1, y: y, style: .dim, limit: textWidth)
        y += 1
    }
    guard state.chunkMapExpanded, !job.chunks.isEmpty, y < bottom else { return }
    renderChunkMap(job, &screen, (inner.x + 1, y, textWidth, bottom - y))
}

/// The chunk map of a job: a summary line, a legend, and one cell per object — or, when there
/// are more objects than cells fit, one cell per group of `per` objects showing the group's
/// most telling state (failed, retrying, in flight, being read; else stored, partly stored or
/// pending), so that a release of thousands of chunks stays readable at 80 columns.
func renderChunkMap(_ job: ImportJob, _ screen: inout Screen, _ area: Area) {
    var y = area.y
    let bottom = area.y + area.height
    let count = job.chunks.count
    let inFlight = job.chunks.filter { $0 == .inFlight }.count
    let retrying = job.chunks.filter { $0 == .retrying }.count
    let failed = job.chunks.filter { $0 == .failed }.count
    let rows = max(1, bottom - y - 2)
    let per = max(1, (count + area.width * rows - 1) / (area.width * rows))
    var summary = "Chunk map  \(job.storedChunks)/\(count) stored"
    if inFlight > 0 { summary += " · \(inFlight) in flight" }
    if retrying > 0 { summary += " · \(retrying) retrying" }
    if failed > 0 { summary += " · \(failed) failed" }
    if per > 1 { summary += " · 1 cell = \(per) chunks" }
    screen.put(summary, x: area.x, y: y, style: .dim, limit: area.width)
    y += 1
    guard y < bottom else { return }
    let legend = ["█ stored", "▄ in flight", "░ reading", "· pending", "↻ retrying", "✗ failed"]
    screen.put(
        per > 1 ? (legend + ["▒ some stored"]).joined(separator: " ") : legend.joined(separator: "  "),
        x: area.x, y: y, style: .dim, limit: area.width)
    y += 1
    let fractions = Dictionary(
        job.progress.inFlight.map { ($0.cell, $0.fraction) }, uniquingKeysWith: { first, _ in first })
    var start = 0
    while start < count, y < bottom {
        for column in 0..<area.width where start < count {
            let group = job.chunks[start..<min(count, start + per)]
            let (glyph, style) = per == 1 ? chunkGlyph(group.first!, fraction: fractions[start]) : groupGlyph(group)
            screen.put(glyph, x: area.x + column, y: y, style: style)
            start += per
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

/// One object's cell; an object in flight fills from the bottom as the store takes it.
func chunkGlyph(_ state: ChunkState, fraction: Double? = nil) -> (String, Style) {
    switch state {
    case .pending: ("·", .chunkPending)
    case .reading: ("░", .chunkInFlight)
    case .inFlight:
        // ▁ … ▇ by eighths: never the full block, which means stored.
        (String(Array("▁▂▃▄▅▆▇")[min(6, Int((fraction ?? 0) * 7))]), .chunkInFlight)
    case .stored: ("█", .chunkStored)
    case .retrying: ("↻", .chunkRetrying)
    case .failed: ("✗", .chunkFailed)
    }
}

/// A cell standing for several objects.
func groupGlyph(_ group: ArraySlice<ChunkState>) -> (String, Style) {
    if group.contains(.failed) { return chunkGlyph(.failed) }
    if group.contains(.retrying) { return chunkGlyph(.retrying) }
    if group.contains(.inFlight) { return ("▄", .chunkInFlight) }
    if group.contains(.reading) { return chunkGlyph(.reading) }
    if group.allSatisfy({ $0 == .stored }) { return chunkGlyph(.stored) }
    if group.contains(.stored) { return ("▒", .chunkStored) }
    return chunkGlyph(.pending)
}

func stageText(_ phase: ImportJob.Phase) -> String {
    switch phase {
    case .queued: "queued"
    case .interrupted: "interrupted"
    case .running(let stage): stage.rawValue + "…"
    case .cancelling: "cancelling"
    case .pausing: "pausing"
    case .paused: "paused"
    case .committed: "done"
    case .duplicate: "duplicate"
    case .failed: "FAILED"
    case .stopped: "stopped"
    case .cancelled: "cancelled"
    }
}
