import CrateTerminalUI
import Foundation
import Testing

/// Compares a screen with its golden files under `__Snapshots__/`: `NAME.txt` holds the cell
/// text, `NAME.styles.txt` one style code per cell (see `Style.code`). A missing file, or
/// `RECORD_SNAPSHOTS=1`, records the screen and fails the test so a recording is never
/// mistaken for a pass.
func assertSnapshot(_ screen: Screen, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    for (suffix, actual) in [("txt", screen.text), ("styles.txt", screen.styleText)] {
        let file = directory.appendingPathComponent("\(name).\(suffix)")
        let expected = try? String(contentsOf: file, encoding: .utf8)
        if record || expected == nil {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: file, atomically: true, encoding: .utf8)
            Issue.record(
                "recorded snapshot \(file.lastPathComponent); run the tests again", sourceLocation: sourceLocation)
        } else if expected != actual {
            Issue.record(
                "screen differs from \(file.lastPathComponent):\n\(diff(expected!, actual))",
                sourceLocation: sourceLocation)
        }
    }
}

/// The differing lines, numbered, for a readable failure.
func diff(_ expected: String, _ actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for index in 0..<max(a.count, b.count) {
        let left = index < a.count ? String(a[index]) : "∅"
        let right = index < b.count ? String(b[index]) : "∅"
        if left != right { out.append("\(index + 1)- \(left)\n\(index + 1)+ \(right)") }
    }
    return out.joined(separator: "\n")
}
