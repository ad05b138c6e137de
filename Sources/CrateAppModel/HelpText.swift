/// Every key, by screen: what `?` shows. It lives with the reducer, which scrolls it.
public enum HelpText {
    public static let sections: [(title: String, keys: [(key: String, meaning: String)])] = [
        (
            "Everywhere",
            [
                ("1 2 3 / Tab", "Profiles, Import, Releases (Shift-Tab back)"),
                ("? / q / ^L", "help / quit (running imports pause) / redraw"),
            ]
        ),
        (
            "Profiles",
            [
                ("↑↓", "choose a profile"), ("n / e", "new / edit profile"),
                ("d", "delete (refused while releases use it)"), ("s", "make it the default"),
                ("t", "test: write, read and delete a probe"),
                ("u", "unlock an encrypted profile (work on a locked one asks by itself)"),
            ]
        ),
        (
            "Import: folders",
            [
                ("↑↓ → ←", "browse folders (→ or Enter opens, ← goes up)"), ("r", "refresh the folder"),
                ("g or :", "go to a folder: type or paste its path"),
                ("i", "review the folder, i or Enter again imports"), ("p", "pick the profile to import to"),
                ("Esc", "dismiss the review"), ("j", "switch to the queue"),
            ]
        ),
        (
            "Import: queue",
            [
                ("↑↓", "choose a job"), ("c", "stop it: p pause (keep what is stored) or d discard"),
                ("r", "resume a paused, stopped or interrupted job; retry a failed one"),
                ("x", "clear finished jobs"), ("m", "show or hide the chunk map"), ("j / Esc", "back to the folders"),
            ]
        ),
        (
            "Releases",
            [
                ("↑↓", "choose a release"), ("/", "filter as you type (Esc clears)"), ("s", "change the sort"),
                ("Enter / →", "open: files and chunk mapping (Esc or ← back)"),
                ("v", "verify every copy: read back every file"), ("e", "export to a folder"),
                ("c", "copy to another profile (picker)"),
                ("d", "delete a copy, or the whole release"), ("r", "reload"),
            ]
        ),
    ]

    /// Lines the help takes: a title per section and a line per key.
    public static var lineCount: Int { sections.reduce(0) { $0 + $1.keys.count + 1 } }
}
