import Foundation

/// Keys: overlays and modals first, then keys that work everywhere, then the screen's own.
func handleKey(_ state: inout State, _ key: Key) -> [Effect] {
    if state.showingHelp {
        if let line = moved(state.helpScroll, count: HelpText.lineCount, by: key) {
            state.helpScroll = line
        } else if [.escape, .character("?"), .character("q"), .enter].contains(key) {
            state.showingHelp = false
        }
        return []
    }
    if let modal = state.modal { return handleModalKey(&state, modal, key) }
    if state.filtering { return handleFilterKey(&state, key) }
    switch key {
    case .character("q"), .control("c"):
        if state.jobs.contains(where: \.phase.isActive) {
            state.modal = .quitWhileImporting
        } else {
            state.quitRequested = true
        }
        return []
    case .character("?"):
        state.showingHelp = true
        state.helpScroll = 0
        return []
    case .character("1"), .character("2"), .character("3"):
        if case .character(let c) = key, let n = Int(String(c)), let tab = State.Tab(rawValue: n) {
            return switchTab(&state, to: tab)
        }
    case .tab:
        return switchTab(&state, to: State.Tab(rawValue: state.tab.rawValue % 3 + 1)!)
    case .backTab:
        return switchTab(&state, to: State.Tab(rawValue: (state.tab.rawValue + 1) % 3 + 1)!)
    default:
        break
    }
    switch state.tab {
    case .profiles: return handleProfilesKey(&state, key)
    case .importer: return state.importFocus == .browser ? handleBrowserKey(&state, key) : handleQueueKey(&state, key)
    case .releases: return handleReleasesKey(&state, key)
    }
}

func switchTab(_ state: inout State, to tab: State.Tab) -> [Effect] {
    state.tab = tab
    // The detail pane fills on arrival, not at the first arrow key.
    return tab == .releases ? detailEffects(state) : []
}

/// Moves a cursor over `count` rows for the arrow and paging keys; `nil` when `key` is not one.
func moved(_ cursor: Int, count: Int, by key: Key, page: Int = 10) -> Int? {
    let last = max(0, count - 1)
    switch key {
    case .up: return max(0, cursor - 1)
    case .down: return min(last, cursor + 1)
    case .pageUp: return max(0, cursor - page)
    case .pageDown: return min(last, cursor + page)
    case .home: return 0
    case .end: return last
    default: return nil
    }
}

func handleProfilesKey(_ state: inout State, _ key: Key) -> [Effect] {
    if let cursor = moved(state.profileCursor, count: state.profiles.count, by: key) {
        state.profileCursor = cursor
        return []
    }
    switch key {
    case .character("n"):
        var form = ProfileForm()
        form.makeDefault = state.profiles.isEmpty
        state.modal = .profileForm(form)
    case .character("e"), .enter:
        guard let row = state.selectedProfile else { return [] }
        state.modal = .profileForm(ProfileForm(editing: row))
    case .character("d"):
        guard let row = state.selectedProfile else { return [] }
        if row.releases > 0 {
            state.status = State.Status(
                "profile \(row.name) holds \(row.releases) release\(row.releases == 1 ? "" : "s"); "
                    + "remove or move them before deleting it", isError: true)
            return []
        }
        state.modal = .confirm(
            State.Confirmation(
                question: "Delete profile \(row.name)? Stored objects stay where they are.",
                effect: .deleteProfile(name: row.name)))
    case .character("s"):
        guard let row = state.selectedProfile, !row.isDefault else { return [] }
        return [.setDefaultProfile(name: row.name)]
    case .character("t"):
        guard let row = state.selectedProfile else { return [] }
        return begin(&state, .testProfile(name: row.name))
    case .character("u"):
        guard let row = state.selectedProfile else { return [] }
        guard row.encrypted else {
            state.status = State.Status("profile \(row.name) is not encrypted; nothing to unlock")
            return []
        }
        state.modal = .prompt(
            State.Prompt(label: "Passphrase for \(row.name)", purpose: .unlockProfile(name: row.name, then: nil)))
    case .character("r"):
        return [.loadProfiles]
    default:
        break
    }
    return []
}

func handleModalKey(_ state: inout State, _ modal: State.Modal, _ key: Key) -> [Effect] {
    switch modal {
    case .profileForm(var form):
        let effects = handleFormKey(&state, &form, key)
        if case .profileForm = state.modal { state.modal = .profileForm(form) }
        return effects
    case .profilePicker(var picker):
        if let next = moved(picker.cursor, count: picker.choices.count, by: key) {
            picker.cursor = next
            state.modal = .profilePicker(picker)
            return []
        }
        switch key {
        case .escape, .character("q"):
            state.modal = nil
        case .enter, .character(" "):
            state.modal = nil
            guard picker.choices.indices.contains(picker.cursor) else { return [] }
            return picked(&state, picker.purpose, picker.choices[picker.cursor])
        default:
            break
        }
        return []
    case .stopImport(let jobId):
        switch key {
        case .character("p"), .character("d"):
            state.modal = nil
            guard let index = state.jobs.firstIndex(where: { $0.id == jobId }),
                let command = state.jobs[index].stop(key == .character("p") ? .pause : .cancel)
            else { return [] }
            return [effect(for: command)]
        case .escape, .character("n"), .character("q"):
            state.modal = nil
            state.status = State.Status("the import goes on")
        default:
            break
        }
        return []
    case .quitWhileImporting:
        switch key {
        case .character("y"), .character("q"), .control("c"):
            state.modal = nil
            state.quitRequested = true
        case .escape, .character("n"):
            state.modal = nil
        default:
            break
        }
        return []
    case .confirm(let confirmation):
        switch key {
        case .character("y"), .character("Y"):
            state.modal = nil
            return begin(&state, confirmation.effect)
        case .character("n"), .character("N"), .escape, .character("q"):
            state.modal = nil
            state.status = State.Status("nothing changed")
        default:
            break
        }
        return []
    case .prompt(var prompt):
        switch key {
        case .escape:
            state.modal = nil
            if case .unlockProfile(let name, _?) = prompt.purpose {
                state.status = State.Status("profile \(name) stays locked; nothing was done")
            }
        case .enter:
            if case .unlockProfile(let name, _) = prompt.purpose {
                return submitPassphrase(&state, prompt, name: name)
            }
            state.modal = nil
            var text = prompt.text.trimmingCharacters(in: .whitespaces)
            if case .goToFolder = prompt.purpose {
                if text == "~" || text.hasPrefix("~/") { text = NSHomeDirectory() + text.dropFirst() }
                guard text.hasPrefix("/") else {
                    state.status = State.Status("give an absolute folder path starting with / or ~", isError: true)
                    return []
                }
                state.folderCursor = 0
                return [.listFolder(path: text.count > 1 && text.hasSuffix("/") ? String(text.dropLast()) : text)]
            }
            guard text.hasPrefix("/") else {
                state.status = State.Status("give an absolute folder path starting with /", isError: true)
                return []
            }
            switch prompt.purpose {
            case .exportRelease(let id):
                return begin(&state, .exportRelease(id: id, folder: text))
            case .unlockProfile, .goToFolder:
                return []
            }
        default:
            guard !prompt.checking else { return [] }
            editText(&prompt.text, key)
            state.modal = .prompt(prompt)
        }
        return []
    }
}

/// Applies a typing key to a text field: characters append, Backspace removes the last one.
func editText(_ text: inout String, _ key: Key) {
    switch key {
    case .character(let c): text.append(c)
    case .backspace: if !text.isEmpty { text.removeLast() }
    case .control("u"): text = ""
    default: break
    }
}

func handleFormKey(_ state: inout State, _ form: inout ProfileForm, _ key: Key) -> [Effect] {
    guard !form.saving else { return [] }
    switch key {
    case .escape:
        state.modal = nil
        state.status = State.Status("profile not saved")
    case .down, .tab:
        form.moveFocus(by: 1)
    case .up, .backTab:
        form.moveFocus(by: -1)
    case .enter, .control("s"):
        switch form.validated() {
        case .failure(let error):
            form.error = error.message
            form.focus = error.field
        case .success(let draft):
            form.error = nil
            form.saving = true
            return [.saveProfile(draft)]
        }
    case .character(" ") where form.focus.isToggle, .left where form.focus.isToggle,
        .right where form.focus.isToggle:
        form.toggle(form.focus)
    default:
        if !form.focus.isToggle { form.edit(form.focus) { editText(&$0, key) } }
    }
    return []
}

func handleFilterKey(_ state: inout State, _ key: Key) -> [Effect] {
    switch key {
    case .enter:
        state.filtering = false
    case .escape:
        state.filtering = false
        state.filter = ""
        refreshVisibleReleases(&state)
    case .up, .down, .pageUp, .pageDown:
        return handleReleasesKey(&state, key)
    default:
        let before = state.filter
        editText(&state.filter, key)
        state.releaseCursor = 0
        refreshVisibleReleases(&state, narrowing: !before.isEmpty && state.filter.hasPrefix(before))
    }
    return detailEffects(state)
}

func detailEffects(_ state: State) -> [Effect] {
    guard let row = state.selectedRelease else { return [] }
    return state.detail?.id == row.id ? [] : [.loadReleaseDetail(id: row.id)]
}

/// A profile chosen in the picker (`nil`: every profile).
func picked(_ state: inout State, _ purpose: State.ProfilePicker.Purpose, _ name: String?) -> [Effect] {
    switch purpose {
    case .importTo:
        guard let name else { return [] }
        state.chosenProfile = name
        state.status = State.Status("imports go to profile \(name)")
        if let path = state.reviewing { return [.reviewFolder(path: path, profileName: name)] }
        return []
    case .copyRelease(let id):
        guard let name else { return [] }
        return begin(&state, .copyRelease(id: id, toProfile: name))
    case .deleteRelease(let id):
        let others = (state.releases.first { $0.id == id }?.profiles ?? []).filter { $0 != name }
        let kept =
            others.count == 1
            ? "The copy on \(others[0]) stays." : "The copies on \(others.joined(separator: ", ")) stay."
        let question =
            name.map { "Delete the copy of \(title(of: id, in: state)) on \($0)? \(kept)" }
            ?? "Delete \(title(of: id, in: state)) from every profile?"
        state.modal = .confirm(State.Confirmation(question: question, effect: .deleteRelease(id: id, profile: name)))
        return []
    }
}
