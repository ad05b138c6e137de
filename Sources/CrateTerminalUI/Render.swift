import CrateAppModel
import CrateCore

/// The smallest terminal the screens are laid out for.
public let minimumSize = (width: 60, height: 18)

/// Draws the whole UI for `state` into a fresh grid of `width`×`height`. Pure: the same state
/// and size always give the same cells, which is what the golden-screen tests compare.
public func render(_ state: State, width: Int, height: Int) -> Screen {
    var screen = Screen(width: width, height: height)
    guard width >= minimumSize.width, height >= minimumSize.height else {
        renderTooSmall(&screen)
        return screen
    }
    renderTabs(state, &screen)
    let body = (x: 0, y: 1, width: width, height: height - 3)
    switch state.tab {
    case .profiles: renderProfiles(state, &screen, body)
    case .importer: renderImport(state, &screen, body)
    case .releases: renderReleases(state, &screen, body)
    }
    if let status = state.status {
        screen.line(" " + status.text, x: 0, y: height - 2, width: width, style: status.isError ? .error : .status)
    } else {
        screen.line("", x: 0, y: height - 2, width: width, style: .status)
    }
    let hints = footerHints(state)
    let global = hints.suffix(while: { $0.0 == "?" || $0.0 == "q" || $0.0 == "Tab" })
    screen.footer(Array(hints.dropLast(global.count)), trailing: global, y: height - 1)
    if let modal = state.modal { renderModal(state, modal, &screen) }
    if state.showingHelp { renderHelp(state, &screen) }
    return screen
}

func renderTooSmall(_ screen: inout Screen) {
    let lines = [
        "Terminal too small",
        "\(screen.width)×\(screen.height); Crate needs at least \(minimumSize.width)×\(minimumSize.height).",
        "Enlarge the window, or press q to quit.",
    ]
    let top = max(0, screen.height / 2 - 1)
    for (offset, text) in lines.enumerated() {
        let x = max(0, (screen.width - DisplayWidth.of(text)) / 2)
        screen.put(text, x: x, y: top + offset, style: offset == 0 ? .error : .normal)
    }
}

func renderTabs(_ state: State, _ screen: inout Screen) {
    screen.line("", x: 0, y: 0, width: screen.width, style: .tab)
    var x = screen.put(" Crate ", x: 0, y: 0, style: .title)
    for tab in State.Tab.allCases {
        let active = tab == state.tab
        x += screen.put(" \(tab.rawValue) \(tab.title) ", x: x + 1, y: 0, style: active ? .tabActive : .tab) + 1
    }
    let running = state.jobs.filter { $0.phase.isActive }.count
    let right = running > 0 ? "\(running) importing · ? help " : "? help "
    screen.put(right, x: screen.width - DisplayWidth.of(right), y: 0, style: .tab)
}

/// The keys that work on the current screen, for the footer.
func footerHints(_ state: State) -> [(String, String)] {
    if state.showingHelp { return [("↑↓", "scroll"), ("Esc", "close help")] }
    switch state.modal {
    case .profileForm(let form):
        return [
            ("↑↓", "field"), (form.focus.isToggle ? "Space" : "type", form.focus.isToggle ? "change" : "edit"),
            ("Enter", "save"), ("Esc", "cancel"),
        ]
    case .profilePicker: return [("↑↓", "move"), ("Enter", "choose"), ("Esc", "cancel")]
    case .confirm, .quitWhileImporting: return [("y", "yes"), ("n", "no")]
    case .stopImport: return [("p", "pause"), ("d", "discard"), ("Esc", "go on")]
    case .prompt(let prompt):
        let what =
            switch prompt.purpose {
            case .unlockProfile: "passphrase"
            case .exportRelease, .goToFolder: "folder"
            }
        return [("type", what), ("Enter", "ok"), ("Esc", "cancel")]
    case nil: break
    }
    if state.filtering { return [("type", "filter"), ("↑↓", "move"), ("Enter", "keep"), ("Esc", "clear")] }
    // "Tab" alone keeps "q quit" on an 80-column footer; help lists 1 2 3 too.
    let global = [("Tab", "screens"), ("?", "help"), ("q", "quit")]
    switch state.tab {
    case .profiles:
        return [("n", "new"), ("e", "edit"), ("d", "delete"), ("s", "default"), ("t", "test"), ("u", "unlock")]
            + global
    case .importer where state.importFocus == .queue:
        return [
            ("↑↓", "job"), ("c", "stop"), ("r", "retry/resume"), ("x", "clear done"), ("m", "map"),
            ("j", "browser"),
        ] + global
    case .importer:
        if state.review != nil {
            return [("Enter/i", "import"), ("p", "profile"), ("Esc", "dismiss"), ("j", "queue")] + global
        }
        return [
            ("↑↓", "move"), ("→", "open"), ("←", "up"), ("i", "review"), ("p", "profile"), ("j", "queue"),
            ("g", "go to"),
        ] + global
    case .releases where state.detailFocused:
        return [("↑↓", "file"), ("Esc", "list"), ("v", "verify"), ("e", "export")] + global
    case .releases:
        return [
            ("/", "filter"), ("s", "sort"), ("Enter", "open"), ("v", "verify"), ("e", "export"), ("c", "copy"),
            ("d", "delete"),
        ] + global
    }
}

func renderProfiles(_ state: State, _ screen: inout Screen, _ area: (x: Int, y: Int, width: Int, height: Int)) {
    screen.box(x: area.x, y: area.y, width: area.width, height: area.height, title: "Storage profiles", focused: true)
    let inner = (x: area.x + 1, y: area.y + 1, width: area.width - 2, height: area.height - 2)
    let fixed = 14 + 9 + 5 + 8 + 8 + 10 + 2
    let locationWidth = max(10, inner.width - fixed - 8)
    let columns = [
        Column(title: "Name", width: 14), Column(title: "Location", width: locationWidth),
        Column(title: "Encrypt", width: 8), Column(title: "Chnk", width: 4),
        Column(title: "Chunk", width: 7, alignRight: true), Column(title: "Rels", width: 6, alignRight: true),
        Column(title: "Bytes", width: 9, alignRight: true), Column(title: "", width: 1),
    ]
    let rows = state.profiles.map { p in
        [
            p.name, p.location, p.encrypted ? (p.unlocked ? "unlocked" : "locked") : "no", p.chunked ? "yes" : "no",
            p.chunkSize.map { ByteSize.format($0) } ?? "–", "\(p.releases)", Format.bytes(p.bytes),
            p.isDefault ? "★" : "",
        ]
    }
    let empty =
        state.profilesLoaded
        ? "No storage profiles yet. Press n to create one (a local folder or S3)." : "Loading profiles…"
    screen.table(
        x: inner.x, y: inner.y, width: inner.width, height: inner.height, columns: columns, rows: rows,
        selected: state.profiles.isEmpty ? nil : state.profileCursor, emptyText: empty)
}

extension Array {
    /// The longest run at the end whose elements all satisfy `predicate`.
    func suffix(while predicate: (Element) -> Bool) -> [Element] {
        Array(reversed().prefix(while: predicate).reversed())
    }
}
