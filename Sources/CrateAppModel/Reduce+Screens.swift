func handleBrowserKey(_ state: inout State, _ key: Key) -> [Effect] {
    if let cursor = moved(state.folderCursor, count: state.folderEntries.count, by: key) {
        state.folderCursor = cursor
        return []
    }
    let selected =
        state.folderEntries.indices.contains(state.folderCursor) ? state.folderEntries[state.folderCursor] : nil
    let selectedPath = selected.map { join(state.folderPath, $0.name) }
    switch key {
    case .right, .character("l"):
        guard let selected, selected.isDirectory, let path = selectedPath else { return [] }
        state.folderCursor = 0
        return [.listFolder(path: path)]
    case .enter:
        if let review = state.review, review.path == selectedPath || review.path == state.folderPath {
            return startImport(&state, review)
        }
        guard let selected, selected.isDirectory, let path = selectedPath else { return [] }
        state.folderCursor = 0
        return [.listFolder(path: path)]
    case .left, .backspace, .character("h"):
        guard state.folderPath != "/" else { return [] }
        let parent = parentPath(state.folderPath)
        state.folderCursor = 0
        state.folderCameFrom = state.folderPath.split(separator: "/").last.map(String.init)
        return [.listFolder(path: parent)]
    case .character("g"), .character(":"):
        state.modal = .prompt(State.Prompt(label: "Go to folder", text: "", purpose: .goToFolder))
    case .character("i"):
        if let review = state.review,
            review.path == selectedPath || (selectedPath == nil && review.path == state.folderPath)
        {
            return startImport(&state, review)
        }
        let path = (selected?.isDirectory ?? false) ? selectedPath! : state.folderPath
        guard let profile = state.importProfile else {
            state.status = State.Status(
                state.profiles.isEmpty
                    ? "there are no profiles yet: press 1, then n, to create one"
                    : "no default profile: press p to pick one", isError: true)
            return []
        }
        state.reviewing = path
        state.review = nil
        state.status = State.Status("reading \(path)…")
        return [.reviewFolder(path: path, profileName: profile)]
    case .character("p"):
        guard !state.profiles.isEmpty else {
            state.status = State.Status("there are no profiles yet: press 1, then n, to create one", isError: true)
            return []
        }
        let current = state.profiles.firstIndex { $0.name == state.importProfile } ?? 0
        state.modal = .profilePicker(
            State.ProfilePicker(purpose: .importTo, choices: state.profiles.map(\.name), cursor: current))
    case .escape:
        let checking = state.review?.audio.map { !$0.isDone } ?? false
        state.review = nil
        state.reviewing = nil
        if checking { return [.cancelAudioCheck] }
    case .character("j"):
        state.importFocus = .queue
    case .character("r"):
        return [.listFolder(path: state.folderPath)]
    default:
        break
    }
    return []
}

func startImport(_ state: inout State, _ review: ReleaseReview) -> [Effect] {
    if let batch = review.batch {
        guard !batch.releases.isEmpty else {
            state.status = State.Status("no release to import in \(review.path)", isError: true)
            return []
        }
        state.review = nil
        state.reviewing = nil
        let effects = begin(&state, .startImports(sources: batch.releases, profileName: review.profileName))
        if !effects.isEmpty {
            let count = batch.releases.count
            state.status = State.Status(
                "queued \(count) release\(count == 1 ? "" : "s") for \(review.profileName); they run one at a time")
        }
        return effects
    }
    if let damaged = review.audio?.damaged, !damaged.isEmpty {
        // Said before anything is stored: importing them anyway is a choice, recorded on the release.
        let names = damaged.prefix(2).map(\.path).joined(separator: ", ") + (damaged.count > 2 ? ", …" : "")
        state.modal = .confirm(
            State.Confirmation(
                question: "\(damaged.count) audio file\(damaged.count == 1 ? " is" : "s are") damaged (\(names)). "
                    + "Import anyway? The release records it.",
                effect: .startImport(source: review.path, profileName: review.profileName, allowDamaged: true)))
        return []
    }
    // The import checks the audio itself, beside its transfer.
    let checking = review.audio.map { !$0.isDone } ?? false
    state.review = nil
    state.reviewing = nil
    let effects = begin(&state, .startImport(source: review.path, profileName: review.profileName))
    if !effects.isEmpty { state.status = State.Status("importing \(review.title) to \(review.profileName)…") }
    return effects + (checking ? [.cancelAudioCheck] : [])
}

func handleQueueKey(_ state: inout State, _ key: Key) -> [Effect] {
    if let cursor = moved(state.jobCursor, count: state.jobs.count, by: key) {
        state.jobCursor = cursor
        return []
    }
    switch key {
    case .character("j"), .escape:
        state.importFocus = .browser
    case .character("m"):
        state.chunkMapExpanded.toggle()
    case .character("c"):
        guard state.jobs.indices.contains(state.jobCursor) else { return [] }
        guard state.jobs[state.jobCursor].canStop else {
            state.status = State.Status("that job is not running")
            return []
        }
        state.modal = .stopImport(jobId: state.jobs[state.jobCursor].id)
    case .character("r"):
        guard state.jobs.indices.contains(state.jobCursor) else { return [] }
        // The row changes when the work starts (`markStarted`): perhaps after a passphrase.
        var job = state.jobs[state.jobCursor]
        guard let command = job.retry() else {
            state.status = State.Status("only failed, cancelled, paused or interrupted jobs can be retried")
            return []
        }
        return begin(&state, effect(for: command))
    case .character("x"):
        let before = state.jobs.count
        state.jobs.removeAll { $0.phase.isFinished }
        state.jobCursor = min(state.jobCursor, max(0, state.jobs.count - 1))
        state.status = State.Status(
            "cleared \(before - state.jobs.count) finished job\(before - state.jobs.count == 1 ? "" : "s")")
    default:
        break
    }
    return []
}

func effect(for command: ImportJob.Command) -> Effect {
    switch command {
    case .stopRun(let id, let mode): .stopImport(jobId: id, mode)
    case .resumeRun(let id): .resumeImport(jobId: id)
    case .restart(let source, let profile): .startImport(source: source, profileName: profile)
    }
}

func handleReleasesKey(_ state: inout State, _ key: Key) -> [Effect] {
    if state.detailFocused {
        let count = state.detail?.files.count ?? 0
        if let cursor = moved(state.fileCursor, count: count, by: key) {
            state.fileCursor = cursor
            return []
        }
        if key == .escape || key == .left {
            state.detailFocused = false
            return []
        }
    } else if let cursor = moved(state.releaseCursor, count: state.visibleReleases.count, by: key) {
        state.releaseCursor = cursor
        state.fileCursor = 0
        return detailEffects(state)
    }
    guard let row = state.selectedRelease else {
        if key == .character("/") { state.filtering = true }
        return []
    }
    switch key {
    case .character("/"):
        state.filtering = true
        state.detailFocused = false
    case .enter, .right:
        state.detailFocused = true
        return detailEffects(state)
    case .escape:
        if !state.filter.isEmpty {
            state.filter = ""
            refreshVisibleReleases(&state)
            return detailEffects(state)
        }
    case .character("s"):
        state.sort = state.sort.next
        resortReleases(&state)
        state.status = State.Status("sorted by \(state.sort.rawValue)")
        return detailEffects(state)
    case .character("v"):
        guard !state.busyReleases.contains(row.id) else { return [] }
        return begin(&state, .verifyRelease(id: row.id))
    case .character("e"):
        state.modal = .prompt(State.Prompt(label: "Export to folder", purpose: .exportRelease(id: row.id)))
    case .character("d"):
        if row.profiles.count > 1 {
            // One copy, or the whole release.
            state.modal = .profilePicker(
                State.ProfilePicker(purpose: .deleteRelease(id: row.id), choices: row.profiles + [nil]))
        } else {
            state.modal = .confirm(
                State.Confirmation(
                    question: "Delete \(row.artist) – \(row.title)"
                        + (row.profiles.first.map { " (its only copy is on \($0))" } ?? "") + "?",
                    effect: .deleteRelease(id: row.id, profile: nil)))
        }
    case .character("c"):
        let destinations = state.profiles.map(\.name).filter { !row.profiles.contains($0) }
        guard !destinations.isEmpty else {
            state.status = State.Status(
                state.profiles.count < 2
                    ? "there is no other profile to copy to: press 1, then n, to add one"
                    : "every profile already holds a copy of \(row.artist) – \(row.title)", isError: true)
            return []
        }
        state.modal = .profilePicker(State.ProfilePicker(purpose: .copyRelease(id: row.id), choices: destinations))
    case .character("r"):
        return [.loadReleases]
    default:
        break
    }
    return []
}

func join(_ folder: String, _ name: String) -> String {
    folder.hasSuffix("/") ? folder + name : folder + "/" + name
}

func parentPath(_ path: String) -> String {
    var parts = path.split(separator: "/")
    guard !parts.isEmpty else { return "/" }
    parts.removeLast()
    return "/" + parts.joined(separator: "/")
}
