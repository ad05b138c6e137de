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
    private let encoder: JSONEncoder

    init(json: Bool, catalog: Catalog) {
        self.json = json
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
        case .planned(_, let plan):
            line(
                "plan: \(plan.files) files, \(ByteSize.format(plan.bytes)), \(plan.objects) objects, "
                    + "~\(plan.requests) requests, about \(Self.clock(plan.estimatedSeconds))")
        case .progress(_, let progress):
            if isTerminal { drawBar(progress) }
        case .retry(_, let operation, let attempt, let message):
            line("retrying \(operation) (attempt \(attempt + 1)): \(message)")
        case .finished(_, let outcome):
            switch outcome {
            case .committed(let id): line("imported as \(id.prefix(12))")
            case .duplicate(let id): line("already stored: an identical release is on this profile as \(id.prefix(12))")
            case .failed(let message): line("import failed: \(message)")
            case .cancelled: line("import cancelled; nothing was kept")
            }
        case .stage, .object:
            break
        }
    }

    private func drawBar(_ p: ImportProgress) {
        let fraction = p.bytesTotal > 0 ? min(1, Double(p.bytesDone) / Double(p.bytesTotal)) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        var text =
            "\(bar) \(String(format: "%3d", Int(fraction * 100)))% \(ByteSize.format(p.bytesDone))/\(ByteSize.format(p.bytesTotal))"
        text += "  \(p.objectsDone)/\(p.objectsTotal) objects"
        text += "  \(ByteSize.format(Int64(p.bytesPerSecond)))/s"
        if let eta = p.secondsRemaining { text += "  ETA \(Self.clock(eta))" }
        if p.retries > 0 { text += "  retries \(p.retries)" }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
        barShown = true
    }

    private func line(_ text: String) {
        let prefix = barShown ? "\r\u{1B}[2K" : ""
        barShown = false
        FileHandle.standardError.write(Data((prefix + text + "\n").utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total % 3600 / 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
