import CrateImporter
import Foundation

/// The whole app's logic: applies `action` to `state` and returns the work to do. Pure and
/// synchronous: no terminal, no disk, no clock.
public func reduce(_ state: inout State, _ action: Action) -> [Effect] {
    switch action {
    case .started:
        return [.loadProfiles, .loadReleases, .listFolder(path: state.folderPath), .findUnfinishedJobs]
    case .keyPressed(let key):
        return handleKey(&state, key)
    case .tick:
        return [.checkCatalog]
    case .catalogChangeSeen(let version):
        guard let version, version != state.catalogVersion else { return [] }
        // Another process imported, removed or added something: show it, keeping the selection.
        // The first reading reloads too: a change made between the start's loads and that
        // reading would otherwise go unseen.
        state.catalogVersion = version
        return [.loadReleases, .loadProfiles] + (state.selectedRelease.map { [.loadReleaseDetail(id: $0.id)] } ?? [])
    case .statusPosted(let text, let isError):
        state.status = State.Status(text, isError: isError)
        return []
    case .operationFailed(let message):
        state.status = State.Status(message, isError: true)
        return []
    default:
        return reduceResult(&state, action)
    }
}

/// Effect results and importer events.
func reduceResult(_ state: inout State, _ action: Action) -> [Effect] {
    switch action {
    case .profilesLoaded(let rows):
        state.profiles = rows
        state.profilesLoaded = true
        state.profileCursor = min(state.profileCursor, max(0, rows.count - 1))
        if let chosen = state.chosenProfile, !rows.contains(where: { $0.name == chosen }) { state.chosenProfile = nil }
    case .profileSaved(let name, let message):
        if case .profileForm = state.modal { state.modal = nil }
        state.status = State.Status(message)
        if state.chosenProfile == nil, state.profiles.isEmpty { state.chosenProfile = name }
        return [.loadProfiles]
    case .profileSaveFailed(let message):
        if case .profileForm(var form) = state.modal {
            form.error = message
            form.saving = false
            state.modal = .profileForm(form)
        } else {
            state.status = State.Status(message, isError: true)
        }
    case .profileDeleted(let name):
        state.status = State.Status("deleted profile \(name)")
        return [.loadProfiles]
    case .defaultProfileSet(let name):
        state.status = State.Status("\(name) is now the default profile")
        return [.loadProfiles]
    case .profileTested(let name, let result):
        switch result {
        case .success(let message): state.status = State.Status("profile \(name): \(message)")
        case .failure(let failure):
            state.status = State.Status("profile \(name) failed its test: \(failure.message)", isError: true)
        }
    case .profileUnlocked(let name, let result):
        let effects = reduceUnlocked(&state, name: name, result)
        guard case .success = result else { return effects }
        // A cover skipped because its copy was locked may read now.
        state.covers.forgetUnavailable()
        return effects + coverEffects(&state)
    case .folderListed(let path, let entries):
        state.folderPath = path
        state.folderEntries = entries
        state.folderCursor = min(state.folderCursor, max(0, entries.count - 1))
        if let name = state.folderCameFrom, let index = entries.firstIndex(where: { $0.name == name }) {
            state.folderCursor = index
        }
        state.folderCameFrom = nil
    case .folderReviewed(let review):
        guard review.path == state.reviewing else { return [] }
        state.review = review
        state.status = State.Status("review \(review.title): Enter or i imports, p picks another profile, Esc cancels")
        if let audio = review.audio, !audio.isDone { return [.checkAudio(path: review.path)] }
    case .audioChecked(let path, let result):
        guard state.review?.path == path, state.review?.audio != nil else { return [] }
        switch result {
        case .success(let audio):
            state.review?.audio = audio
            if !audio.damaged.isEmpty {
                let count = audio.damaged.count
                state.status = State.Status(
                    "\(count) damaged audio file\(count == 1 ? "" : "s"): Enter asks before importing anyway",
                    isError: true)
            }
        case .failure(let failure):
            state.review?.audio?.isDone = true
            state.review?.audio?.failure = failure.message
        }
    case .reviewFailed(let path, let message):
        if state.reviewing == path { state.reviewing = nil }
        state.status = State.Status(message, isError: true)
    case .importQueued(let id, let source, let profile):
        if !state.jobs.contains(where: { $0.id == id }) {
            state.jobs.append(ImportJob(id: id, source: source, profileName: profile))
            state.jobCursor = state.jobs.count - 1
        }
    case .unfinishedJobsFound(let found):
        for job in found where !state.jobs.contains(where: { $0.id == job.id }) { state.jobs.append(job) }
        if !found.isEmpty {
            state.status = State.Status(
                "\(found.count) unfinished import\(found.count == 1 ? "" : "s") from an earlier run: r resumes")
        }
    case .importEventReceived(let event):
        return applyImportEvent(&state, event)
    case .releasesLoaded(let index):
        let selected = state.selectedRelease?.id
        state.releaseIndex = index
        state.releasesLoaded = true
        resortReleases(&state)
        let rows = index.rows
        if let selected, let index = state.visibleReleases.firstIndex(where: { rows[$0].id == selected }) {
            state.releaseCursor = index
        }
        if state.tab == .releases { return detailEffects(state) }
    case .releaseDetailLoaded(let detail):
        guard state.selectedRelease?.id == detail.id else { return [] }
        state.detail = detail
        state.fileCursor = min(state.fileCursor, max(0, detail.files.count - 1))
        return coverEffects(&state)
    case .coverLoaded(let id, let result):
        switch result {
        case .success(let image): state.covers[id] = .loaded(image)
        case .failure(let failure): state.covers[id] = .unavailable(failure.message)
        }
    case .releaseVerified(let id, let result):
        state.busyReleases.remove(id)
        switch result {
        case .success(let message): state.status = State.Status(message)
        case .failure(let failure):
            state.status = State.Status(
                "verify of \(title(of: id, in: state)) FAILED: \(failure.message)", isError: true)
        }
    case .releaseExported(let id, let folder, let result):
        state.busyReleases.remove(id)
        switch result {
        case .success: state.status = State.Status("exported \(title(of: id, in: state)) to \(folder)")
        case .failure(let failure):
            state.status = State.Status(
                "export of \(title(of: id, in: state)) failed: \(failure.message)", isError: true)
        }
    case .releaseDeleted(let id, let profile, let result):
        state.busyReleases.remove(id)
        switch result {
        case .success(let message) where profile != nil:
            // One copy went: the release stays with its other copies.
            state.status = State.Status(message)
            return [.loadReleases, .loadProfiles] + reloadDetail(of: id, state)
        case .success(let message):
            state.status = State.Status(message)
            if state.detail?.id == id { state.detail = nil }
            // Gone from the list, and the profiles' counts and bytes changed.
            return [.loadReleases, .loadProfiles]
        case .failure(let failure):
            state.status = State.Status("delete failed: \(failure.message)", isError: true)
            // Some copies may be gone: show what is left.
            return [.loadReleases, .loadProfiles] + reloadDetail(of: id, state)
        }
    case .releaseCopied(let id, let profile, let result):
        state.busyReleases.remove(id)
        switch result {
        case .success(let message):
            state.status = State.Status(message)
            return [.loadReleases, .loadProfiles] + reloadDetail(of: id, state)
        case .failure(let failure):
            state.status = State.Status(
                "copy of \(title(of: id, in: state)) to \(profile) failed: \(failure.message)", isError: true)
        }
    default:
        break
    }
    return []
}

func applyImportEvent(_ state: inout State, _ event: ImportEvent) -> [Effect] {
    guard let index = state.jobs.firstIndex(where: { $0.id == event.job }) else { return [] }
    state.jobs[index].handle(event)
    guard case .finished(_, let outcome) = event else { return [] }
    let job = state.jobs[index]
    switch outcome {
    case .committed:
        state.status = State.Status("imported \(job.title) to \(job.profileName)")
        return [.loadReleases, .loadProfiles]
    case .duplicate(let id):
        state.status = State.Status("\(job.title) is already on \(job.profileName) as \(id.prefix(8))")
    case .failed(let message):
        state.status = State.Status("import of \(job.title) failed: \(message)", isError: true)
    case .interrupted(let message):
        state.status = State.Status("import of \(job.title) stopped (r resumes): \(message)", isError: true)
    case .cancelled:
        state.status = State.Status(
            "import of \(job.title) cancelled; what it stored is deleted (or left for crate gc if the store was busy)")
    case .paused:
        state.status = State.Status("import of \(job.title) paused with \(job.storedChunks) objects kept: r resumes")
    }
    return []
}

/// Reloads the detail pane when it shows release `id`.
func reloadDetail(of id: String, _ state: State) -> [Effect] {
    state.detail?.id == id || state.selectedRelease?.id == id ? [.loadReleaseDetail(id: id)] : []
}

func title(of releaseId: String, in state: State) -> String {
    state.releases.first { $0.id == releaseId }.map { "\($0.artist) – \($0.title)" } ?? String(releaseId.prefix(8))
}

/// Takes the sorted order (on load or a new sort) from the index, then applies the filter.
func resortReleases(_ state: inout State) {
    state.sortedReleases = state.releaseIndex.order(state.sort)
    refreshVisibleReleases(&state)
}

/// Recomputes which releases the filter lets through, keeping the sorted order. Runs on every
/// keystroke of the filter, so it only compares the index's prepared, folded keys.
/// `narrowing` (the filter only grew) searches the rows already shown instead of all of them.
func refreshVisibleReleases(_ state: inout State, narrowing: Bool = false) {
    let words = ReleaseIndex.words(of: state.filter)
    if words.isEmpty {
        state.visibleReleases = state.sortedReleases
    } else {
        let index = state.releaseIndex
        let candidates = narrowing ? state.visibleReleases : state.sortedReleases
        state.visibleReleases = candidates.filter { index.matches($0, all: words) }
    }
    state.releaseCursor = min(state.releaseCursor, max(0, state.visibleReleases.count - 1))
}
