import CrateCatalog
import CrateCore
import CrateImporter
import Foundation

/// Shows import events: a live progress bar on standard error when it is a terminal, plain
/// lines otherwise, or JSON lines on standard output with `--json`.
actor ImportReporter {
    let json: Bool
    let isTerminal = isatty(STDERR_FILENO) != 0
    private var barShown = false
    /// Jobs whose plan adds a copy to a catalogued release, with their profile's name (their
    /// commit says so).
    private var addingCopies: [String: String] = [:]
    private let encoder: JSONEncoder
    private let catalog: Catalog

    init(json: Bool, catalog: Catalog) {
        self.json = json
        self.catalog = catalog
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    func handle(_ event: ImportEvent) {
        if json {
            if let data = try? encoder.encode(event) {
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            }
            return
        }
        switch event {
        case .identified(_, let release):
            line("\(release.artist) — \(release.title)" + (release.year.map { " (\($0))" } ?? ""))
        case .warning(_, let message):
            line("warning: \(message)")
        case .planned(let job, let plan):
            line(
                "plan: \(plan.files) files, \(ByteSize.format(plan.bytes)), \(plan.objects) objects, "
                    + "~\(plan.requests) requests, about \(Self.clock(plan.estimatedSeconds))")
            if let existing = plan.addsCopyOf {
                let profile = (try? catalog.job(job)).flatMap { job in
                    (try? catalog.profiles())?.first { $0.id == job.profileId }?.name
                }
                addingCopies[job] = profile ?? "this profile"
                line(
                    "already in the catalog: \(Terminal.safe(existing.description)); this import adds a copy on "
                        + Terminal.safe(profile ?? "this profile"))
            }
        case .progress(_, let progress):
            if isTerminal { drawBar(progress) }
        case .audioDamaged(_, let file, let reason):
            line("warning: damaged audio: \(Terminal.safe(file)): \(reason)")
        case .retry(_, let note, let operation):
            line("retrying \(operation) (attempt \(note.attempt + 1) of \(note.maxAttempts)): \(note.reason)")
        case .finished(_, let outcome):
            switch outcome {
            case .committed(let id) where addingCopies[event.job] != nil:
                line("added a copy of \(id.prefix(12)) on \(Terminal.safe(addingCopies[event.job] ?? ""))")
            case .committed(let id): line("imported as \(id.prefix(12))")
            case .duplicate(let id): line("already stored: an identical release is on this profile as \(id.prefix(12))")
            case .failed(let message): line("import failed: \(message)")
            case .interrupted(let message): line("import stopped: \(message)")
            case .cancelled: line("import cancelled; nothing was kept")
            case .paused:
                line(
                    "import paused; what is stored is kept: `crate import --resume` continues, "
                        + "`crate import --cancel` deletes it")
            }
        case .stage, .object, .transfer:
            break
        }
    }

    /// What release detection made of one PATH: said when it is more than one plain release.
    func found(_ found: FoundReleases, under path: String) {
        if json {
            emit(FoundEvent(path: path, releases: found.releases, skipped: found.skipped, notes: found.notes))
            return
        }
        for note in found.notes { line("note: \(note)") }
        guard found.releases.count > 1 || !found.skipped.isEmpty else { return }
        let count = found.releases.count
        line("found \(count) release\(count == 1 ? "" : "s") under \(path)")
        for skip in found.skipped { skipped(skip) }
    }

    func skipped(_ skip: SkippedSource) {
        if json {
            emit(SkippedEvent(path: skip.path, reason: skip.reason))
            return
        }
        line("skipped \(skip.path): \(skip.reason)")
    }

    func summary(_ summary: BatchSummary) {
        if json {
            emit(SummaryEvent(summary: summary))
            return
        }
        var parts = ["\(summary.imported) imported", "\(summary.alreadyPresent) already present"]
        if !summary.failed.isEmpty { parts.append("\(summary.failed.count) failed") }
        if summary.cancelled > 0 { parts.append("\(summary.cancelled) cancelled") }
        if summary.paused > 0 { parts.append("\(summary.paused) paused") }
        if summary.notStarted > 0 { parts.append("\(summary.notStarted) not started") }
        if !summary.skipped.isEmpty { parts.append("\(summary.skipped.count) skipped") }
        line("done: " + parts.joined(separator: ", "))
        for failure in summary.failed {
            line("  failed \(failure.path): \(failure.reason)")
        }
        for skip in summary.skipped { line("  skipped \(skip.path): \(skip.reason)") }
        if !summary.failed.isEmpty {
            line("  `crate import --resume` retries the failed ones, skipping what is stored")
        } else if summary.paused + summary.notStarted > 0 {
            line("  `crate import --resume` goes on with the rest, skipping what is stored")
        }
    }

    private struct FoundEvent: Encodable {
        var event = "found"
        var path: String
        var releases: [String]
        var skipped: [SkippedSource]
        var notes: [String]
    }

    private struct SkippedEvent: Encodable {
        var event = "skipped"
        var path: String
        var reason: String
    }

    private struct SummaryEvent: Encodable {
        var event = "summary"
        var summary: BatchSummary
    }

    private func emit(_ value: some Encodable) {
        if let data = try? encoder.encode(value) { FileHandle.standardOutput.write(data + Data("\n".utf8)) }
    }

    /// `███████░░░  68% 12.0MiB/17.6MiB  40/58 objects  3 in flight  1.2MiB/s  ETA 0:05  02 Track.flac`,
    /// or the stall in place of rate and ETA: bytes and objects the store has acknowledged.
    private func drawBar(_ p: ImportProgress) {
        let fraction = p.bytesTotal > 0 ? min(1, Double(p.bytesDone) / Double(p.bytesTotal)) : 0
        let width = 20
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        var parts = [
            "\(bar) \(String(format: "%3d", Int(fraction * 100)))%",
            "\(ByteSize.format(p.bytesDone))/\(ByteSize.format(p.bytesTotal))",
            "\(p.objectsDone)/\(p.objectsTotal) objects",
        ]
        if !p.inFlight.isEmpty { parts.append("\(p.inFlight.count) in flight") }
        if let stall = p.stallText {
            parts.append(stall)
        } else {
            parts.append("\(ByteSize.format(Int64(p.bytesPerSecond)))/s")
            if let eta = p.secondsRemaining { parts.append("ETA \(Self.clock(eta))") }
        }
        if p.retries > 0 { parts.append("retries \(p.retries)") }
        if let file = p.filesInFlight.first ?? p.currentFile {
            parts.append((file as NSString).lastPathComponent)
        }
        var text = parts.joined(separator: "  ")
        let columns = Terminal.columns
        text = DisplayWidth.truncate(Terminal.safe(text), to: columns - 1)
        Terminal.writeError(text, after: "\r\u{1B}[2K")
        barShown = true
    }

    /// One line on standard error (made safe for the terminal), clearing the bar first.
    private func line(_ text: String) {
        let prefix = barShown ? "\r\u{1B}[2K" : ""
        barShown = false
        Terminal.writeError(text + "\n", after: prefix)
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total % 3600 / 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
