/// Work that needs an encrypted profile's key asks for the passphrase where it is started:
/// `begin` opens the passphrase dialog for the first locked profile the work needs and runs the
/// work once that profile is unlocked (asking again for the next one, if any).
func begin(_ state: inout State, _ effect: Effect) -> [Effect] {
    if let locked = lockedProfile(needed: effect, state) {
        state.modal = .prompt(
            State.Prompt(label: "Passphrase for \(locked)", purpose: .unlockProfile(name: locked, then: effect)))
        state.status = State.Status("profile \(locked) is encrypted and locked: type its passphrase")
        return []
    }
    markStarted(&state, effect)
    return [effect]
}

/// The first profile `effect` needs whose passphrase this session does not have.
func lockedProfile(needed effect: Effect, _ state: State) -> String? {
    func locked(_ name: String) -> Bool { state.profiles.first { $0.name == name }?.isLocked ?? false }
    func copies(_ id: String) -> [String] { state.releases.first { $0.id == id }?.profiles ?? [] }
    /// Reading needs one readable copy: none when a plain or unlocked copy is there.
    func readable(_ id: String) -> String? {
        let names = copies(id)
        return names.contains { !locked($0) } ? nil : names.first
    }
    switch effect {
    case .startImport(_, let profile, _), .startImports(_, let profile), .testProfile(let profile):
        return locked(profile) ? profile : nil
    case .resumeImport(let jobId):
        let profile = state.jobs.first { $0.id == jobId }?.profileName
        return profile.flatMap { locked($0) ? $0 : nil }
    case .verifyRelease(let id), .deleteRelease(let id, nil):
        return copies(id).first(where: locked)
    case .deleteRelease(_, let profile?):
        return locked(profile) ? profile : nil
    case .exportRelease(let id, _):
        return readable(id)
    case .copyRelease(let id, let destination):
        return locked(destination) ? destination : readable(id)
    default:
        return nil
    }
}

/// The busy marks and status line of work as it starts.
func markStarted(_ state: inout State, _ effect: Effect) {
    switch effect {
    case .verifyRelease(let id):
        state.busyReleases.insert(id)
        state.status = State.Status("verifying \(title(of: id, in: state))…")
    case .exportRelease(let id, let folder):
        state.busyReleases.insert(id)
        state.status = State.Status("exporting \(title(of: id, in: state)) to \(folder)…")
    case .copyRelease(let id, let profile):
        state.busyReleases.insert(id)
        state.status = State.Status("copying \(title(of: id, in: state)) to \(profile)…")
    case .deleteRelease(let id, let profile):
        state.busyReleases.insert(id)
        state.status = State.Status(
            "deleting \(title(of: id, in: state))" + (profile.map { " from \($0)" } ?? "") + "…")
    case .testProfile(let name):
        state.status = State.Status("testing profile \(name)…")
    case .startImport(let source, let profile, _):
        state.status = State.Status("importing \(source) to \(profile)…")
        // Confirmed from the review (damaged audio allowed): the review has served.
        if state.review?.path == source {
            state.review = nil
            state.reviewing = nil
        }
        // A restart replaces the failed or cancelled row of the same import.
        state.jobs.removeAll { job in
            guard job.source == source, job.profileName == profile else { return false }
            switch job.phase {
            case .failed, .cancelled: return true
            default: return false
            }
        }
        state.jobCursor = min(state.jobCursor, max(0, state.jobs.count - 1))
    case .startImports(let sources, let profile):
        state.status = State.Status("queueing \(sources.count) releases for \(profile)…")
    case .resumeImport(let id):
        if let index = state.jobs.firstIndex(where: { $0.id == id }) { _ = state.jobs[index].retry() }
    default:
        break
    }
}

/// Enter in the passphrase dialog: the dialog stays while the passphrase is checked.
func submitPassphrase(_ state: inout State, _ prompt: State.Prompt, name: String) -> [Effect] {
    guard !prompt.checking else { return [] }
    guard !prompt.text.isEmpty else {
        var prompt = prompt
        prompt.error = "type the passphrase, or Esc to cancel"
        state.modal = .prompt(prompt)
        return []
    }
    var checking = prompt
    checking.text = ""
    checking.error = nil
    checking.checking = true
    state.modal = .prompt(checking)
    state.status = State.Status("unlocking profile \(name)…")
    return [.unlockProfile(name: name, passphrase: prompt.text)]
}

/// The answer to a passphrase: unlocked (mark the profile, run the work that asked), or
/// refused (the dialog stays, saying why).
func reduceUnlocked(_ state: inout State, name: String, _ result: Result<String, EffectFailure>) -> [Effect] {
    let open: State.Prompt? =
        if case .prompt(let prompt) = state.modal, case .unlockProfile(name, _) = prompt.purpose { prompt } else { nil }
    switch result {
    case .success(let message):
        if let index = state.profiles.firstIndex(where: { $0.name == name }) { state.profiles[index].unlocked = true }
        state.status = State.Status(message)
        guard let open else { return [] }
        state.modal = nil
        if case .unlockProfile(_, let then?) = open.purpose { return begin(&state, then) }
        return []
    case .failure(let failure):
        guard var prompt = open else {
            state.status = State.Status("profile \(name) stays locked: \(failure.message)", isError: true)
            return []
        }
        prompt.checking = false
        prompt.error = failure.message
        state.modal = .prompt(prompt)
        state.status = State.Status("profile \(name) stays locked: \(failure.message)", isError: true)
        return []
    }
}
