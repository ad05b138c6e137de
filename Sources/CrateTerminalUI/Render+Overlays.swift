import CrateAppModel
import CrateCore

func renderModal(_ state: State, _ modal: State.Modal, _ screen: inout Screen) {
    switch modal {
    case .profileForm(let form): renderForm(form, &screen)
    case .profilePicker(let picker): renderPicker(state, picker, &screen)
    case .confirm(let confirmation):
        let box = centered(&screen, width: min(screen.width - 4, 64), height: 5, title: "Confirm")
        _ = wrap(confirmation.question, x: box.x, y: box.y, width: box.width, maxLines: 2, style: .normal, &screen)
        screen.put("y yes   n no", x: box.x, y: box.y + 2, style: .footerKey)
    case .stopImport(let jobId):
        let job = state.jobs.first { $0.id == jobId }
        let box = centered(&screen, width: min(screen.width - 4, 64), height: 7, title: "Stop import")
        _ = wrap(
            "Stop importing \(job?.title ?? jobId)? \(job?.storedChunks ?? 0) of \(job?.chunks.count ?? 0) objects are stored.",
            x: box.x, y: box.y, width: box.width, maxLines: 2, style: .normal, &screen)
        screen.put("p pause: keep them; r resumes later", x: box.x, y: box.y + 2, style: .footerKey, limit: box.width)
        screen.put("d discard: delete what it stored", x: box.x, y: box.y + 3, style: .footerKey, limit: box.width)
        screen.put("Esc go on importing", x: box.x, y: box.y + 4, style: .footerKey, limit: box.width)
    case .quitWhileImporting:
        let running = state.jobs.filter(\.phase.isActive).count
        let box = centered(&screen, width: min(screen.width - 4, 64), height: 6, title: "Quit")
        _ = wrap(
            "\(running) import\(running == 1 ? " is" : "s are") running. Quitting pauses "
                + (running == 1 ? "it" : "them") + ": what is stored is kept, and r (or crate import --resume) "
                + "continues next time.", x: box.x, y: box.y, width: box.width, maxLines: 3, style: .normal, &screen)
        screen.put("y quit   n stay", x: box.x, y: box.y + 3, style: .footerKey)
    case .prompt(let prompt):
        let box = centered(
            &screen, width: min(screen.width - 4, 70), height: prompt.error == nil ? 4 : 5, title: prompt.label)
        let shown = prompt.isSecret ? String(repeating: "•", count: prompt.text.count) : prompt.text
        screen.line(prompt.checking ? "checking…" : shown + "▏", x: box.x, y: box.y, width: box.width, style: .input)
        let hint =
            switch prompt.purpose {
            case .unlockProfile(_, let then?): "needed to \(describe(then)); kept in memory until you quit"
            case .unlockProfile: "kept in memory until you quit; never written"
            case .goToFolder: "an absolute path, or one starting with ~"
            case .exportRelease: "an absolute path; the folder must be empty or new"
            }
        screen.put(hint, x: box.x, y: box.y + 1, style: .dim, limit: box.width)
        if let error = prompt.error { screen.put(error, x: box.x, y: box.y + 2, style: .error, limit: box.width) }
    }
}

/// Clears and frames a centred box; returns its inner area.
func centered(_ screen: inout Screen, width: Int, height: Int, title: String) -> Area {
    let x = (screen.width - width) / 2
    let y = max(1, (screen.height - height) / 2)
    screen.fill(x: x, y: y, width: width, height: height)
    screen.box(x: x, y: y, width: width, height: height, title: title, focused: true)
    return (x + 2, y + 1, width - 4, height - 2)
}

func renderForm(_ form: ProfileForm, _ screen: inout Screen) {
    let fields = form.visibleFields
    let height = min(screen.height - 2, fields.count + 6)
    let box = centered(
        &screen, width: min(screen.width - 4, 72), height: height,
        title: form.editing.map { "Edit profile \($0)" } ?? "New storage profile")
    let labelWidth = 12
    var y = box.y
    for field in fields where y < box.y + box.height - 3 {
        let focused = field == form.focus
        screen.put(DisplayWidth.pad(field.label, to: labelWidth), x: box.x, y: y, style: focused ? .accent : .dim)
        let value = form.text(field)
        let shown = field.isToggle ? "◂ \(value) ▸" : value + (focused ? "▏" : "")
        screen.line(
            shown, x: box.x + labelWidth + 1, y: y, width: box.width - labelWidth - 1,
            style: focused ? .input : .normal)
        y += 1
    }
    y = box.y + box.height - 2
    if let error = form.error {
        _ = wrap("✗ " + error, x: box.x, y: y, width: box.width, maxLines: 2, style: .error, &screen)
    } else if form.saving {
        screen.put("saving…", x: box.x, y: y + 1, style: .dim)
    } else {
        screen.put(hint(for: form.focus), x: box.x, y: y + 1, style: .dim, limit: box.width)
    }
}

func hint(for field: ProfileForm.Field) -> String {
    switch field {
    case .name: "letters, digits, '-', '_' and '.'"
    case .path: "an absolute folder; created when first used"
    case .endpoint: "http(s)://host[:port]"
    case .bucket: "BUCKET or BUCKET/PREFIX"
    case .chunkSize: "a power of two, 256KiB…64MiB"
    case .passphrase, .confirmation: "never stored; needed to read back"
    default: "Space changes the choice"
    }
}

func renderPicker(_ state: State, _ picker: State.ProfilePicker, _ screen: inout Screen) {
    let count = picker.choices.count
    let height = min(screen.height - 2, count + 4)
    let box = centered(&screen, width: min(screen.width - 4, 64), height: height, title: picker.title)
    let first = scrollOffset(selected: picker.cursor, count: count, visible: box.height)
    for (row, index) in (first..<min(count, first + box.height)).enumerated() {
        let text: String
        if let name = picker.choices[index], let p = state.profiles.first(where: { $0.name == name }) {
            let flags = [p.encrypted ? (p.unlocked ? "unlocked" : "locked") : "plain", p.chunked ? "chunked" : "whole"]
                .joined(separator: ", ")
            let mark = p.isDefault ? "★" : " "
            text = "\(mark) " + DisplayWidth.pad(p.name, to: 16) + " " + DisplayWidth.pad(flags, to: 18) + p.location
        } else {
            text = "  " + (picker.choices[index] ?? "every profile: the whole release")
        }
        screen.line(
            text, x: box.x, y: box.y + row, width: box.width, style: index == picker.cursor ? .selected : .normal)
    }
}

/// What a piece of work does, for the passphrase dialog it waits on.
func describe(_ effect: Effect) -> String {
    switch effect {
    case .startImport: "import"
    case .resumeImport: "resume the import"
    case .testProfile: "test the profile"
    case .verifyRelease: "verify the release"
    case .exportRelease: "export the release"
    case .copyRelease(_, let profile): "copy the release to \(profile)"
    case .deleteRelease(_, let profile): profile.map { "delete the copy on \($0)" } ?? "delete the release"
    default: "go on"
    }
}

/// The help overlay: every key (`HelpText`), scrolled to `state.helpScroll` when the terminal
/// is too short for all of it, with a note of what lies above and below.
func renderHelp(_ state: State, _ screen: inout Screen) {
    var lines: [(text: String, meaning: String?)] = []
    for section in HelpText.sections {
        lines.append((section.title, nil))
        for (key, meaning) in section.keys { lines.append((key, meaning)) }
    }
    let box = centered(
        &screen, width: min(screen.width - 4, 74), height: min(screen.height - 2, lines.count + 2), title: "Help")
    let first = min(state.helpScroll, max(0, lines.count - box.height))
    for (row, line) in lines.dropFirst(first).prefix(box.height).enumerated() {
        let y = box.y + row
        if let meaning = line.meaning {
            screen.put(DisplayWidth.pad(line.text, to: 14), x: box.x + 1, y: y, style: .footerKey)
            screen.put(meaning, x: box.x + 16, y: y, style: .normal, limit: box.width - 16)
        } else {
            screen.put(line.text, x: box.x, y: y, style: .title)
        }
    }
    let more = [first > 0 ? "↑ more" : nil, first + box.height < lines.count ? "↓ more" : nil].compactMap { $0 }
    if !more.isEmpty {
        let text = " " + more.joined(separator: " ") + " "
        screen.put(text, x: box.x + box.width - DisplayWidth.of(text), y: box.y + box.height, style: .dim)
    }
}
