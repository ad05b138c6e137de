import CrateImporter
import Foundation
import Synchronization

/// Holds the state, runs `reduce`, and runs each effect on its own task. Effect results come
/// back as actions on one channel (`results`), which the UI loop feeds to `send`. Import tasks
/// are kept by job id so cancellation can name them.
public final class Store: Sendable {
    private struct Inner {
        var state: State
        var generation = 0
        var imports: [String: (task: Task<Void, Never>, stop: ImportStop)] = [:]
        /// The audio check of the folder under review, if one runs.
        var audioCheck: Task<Void, Never>?
    }

    private let inner: Mutex<Inner>
    private let environment: Environment
    private let continuation: AsyncStream<Action>.Continuation
    /// Every effect's result, in the order they finish.
    public let results: AsyncStream<Action>

    public init(state: State, environment: Environment) {
        inner = Mutex(Inner(state: state))
        self.environment = environment
        (results, continuation) = AsyncStream.makeStream(of: Action.self)
    }

    /// The current state and a number that grows with every change (so the UI knows to redraw).
    public var snapshot: (state: State, generation: Int) {
        inner.withLock { ($0.state, $0.generation) }
    }

    /// Reduces `action` and starts the effects it asks for.
    public func send(_ action: Action) {
        let effects = inner.withLock { inner in
            inner.generation += 1
            return reduce(&inner.state, action)
        }
        for effect in effects { run(effect) }
    }

    /// Pauses every running import (they resume next time, keeping what they stored; one
    /// already asked to stop keeps its mode), waits up to `grace` for them to record what
    /// landed, and ends the result channel.
    public func shutDown(grace: Duration = .seconds(3)) async {
        let running = inner.withLock { Array($0.imports.values) }
        for (task, stop) in running where !task.isCancelled {
            stop.mode = .pause
            task.cancel()
        }
        // Each import task removes itself when it ends; waiting on the tasks themselves would
        // not end at the deadline (awaiting a task's value ignores cancellation).
        let clock = ContinuousClock()
        let end = clock.now + grace
        while clock.now < end, inner.withLock({ !$0.imports.isEmpty }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        continuation.finish()
    }

    func run(_ effect: Effect) {
        let env = environment
        let continuation = self.continuation
        switch effect {
        case .startImport(let source, let profile, let allowDamaged):
            Task {
                if let id = await self.record(source, profile, allowDamaged: allowDamaged) { self.runJob(id) }
            }
        case .checkAudio(let path):
            let task = Task {
                let result = await Self.outcome { try await env.checkAudio(path) }
                if !Task.isCancelled { continuation.yield(.audioChecked(path: path, result)) }
            }
            inner.withLock { $0.audioCheck.replace(with: task) }
        case .cancelAudioCheck:
            inner.withLock { $0.audioCheck.replace(with: nil) }
        case .startImports(let sources, let profile):
            // One task for the batch, registered like a job so that quitting stops it: it
            // records every job first (each a queue row), then runs them one after another.
            let batch = ImportStop()
            let key = "batch-" + UUID().uuidString
            let task = Task {
                var ids: [String] = []
                for source in sources {
                    if let id = await self.record(source, profile) { ids.append(id) }
                }
                for id in ids where !Task.isCancelled {
                    await self.runJob(id).value
                }
                _ = self.inner.withLock { $0.imports.removeValue(forKey: key) }
            }
            inner.withLock { $0.imports[key] = (task, batch) }
        case .resumeImport(let id):
            runJob(id)
        case .stopImport(let id, let mode):
            guard let (task, stop) = inner.withLock({ $0.imports[id] }) else { return }
            stop.mode = mode
            task.cancel()
        default:
            Task { continuation.yield(await Self.perform(effect, env)) }
        }
    }

    /// Records an import job for `source` (a queue row from then on); `nil`, said on the
    /// result channel, when it cannot be.
    private func record(_ source: String, _ profile: String, allowDamaged: Bool = false) async -> String? {
        do {
            let id = try await environment.prepareImport(source, profile, allowDamaged)
            continuation.yield(.importQueued(jobId: id, source: source, profileName: profile))
            return id
        } catch {
            continuation.yield(.operationFailed("cannot import \(source): \(error)"))
            return nil
        }
    }

    @discardableResult
    private func runJob(_ id: String) -> Task<Void, Never> {
        let env = environment
        let continuation = self.continuation
        let stop = ImportStop()
        let task = Task {
            _ = await env.runImport(id, stop) { event in continuation.yield(.importEventReceived(event)) }
            _ = self.inner.withLock { $0.imports.removeValue(forKey: id) }
        }
        inner.withLock { $0.imports[id] = (task, stop) }
        return task
    }

    /// `work`'s value, or why it failed.
    static func outcome<T>(_ work: () async throws -> T) async -> Result<T, EffectFailure> {
        do { return .success(try await work()) } catch { return .failure(EffectFailure(error)) }
    }

    static func perform(_ effect: Effect, _ env: Environment) async -> Action {
        do {
            switch effect {
            case .loadProfiles: return .profilesLoaded(try await env.loadProfiles())
            case .loadReleases: return .releasesLoaded(ReleaseIndex(try await env.loadReleases()))
            case .loadReleaseDetail(let id): return .releaseDetailLoaded(try await env.loadReleaseDetail(id))
            case .loadCover(let id, let path):
                return .coverLoaded(releaseId: id, await outcome { try await env.loadCover(id, path) })
            case .listFolder(let path): return .folderListed(path: path, entries: try await env.listFolder(path))
            case .reviewFolder(let path, let profile):
                do {
                    return .folderReviewed(try await env.reviewFolder(path, profile))
                } catch {
                    return .reviewFailed(path: path, message: "cannot read \(path): \(error)")
                }
            case .findUnfinishedJobs: return .unfinishedJobsFound(try await env.unfinishedJobs())
            case .checkCatalog: return .catalogChangeSeen(try? await env.catalogChanges())
            case .saveProfile(let draft):
                do {
                    return .profileSaved(name: draft.spec.name, message: try await env.saveProfile(draft))
                } catch {
                    return .profileSaveFailed("\(error)")
                }
            case .deleteProfile(let name):
                try await env.deleteProfile(name)
                return .profileDeleted(name: name)
            case .setDefaultProfile(let name):
                try await env.setDefaultProfile(name)
                return .defaultProfileSet(name: name)
            case .testProfile(let name):
                return .profileTested(name: name, await outcome { try await env.testProfile(name) })
            case .unlockProfile(let name, let passphrase):
                return .profileUnlocked(name: name, await outcome { try await env.unlockProfile(name, passphrase) })
            case .verifyRelease(let id):
                return .releaseVerified(id: id, await outcome { try await env.verifyRelease(id) })
            case .exportRelease(let id, let folder):
                return .releaseExported(
                    id: id, folder: folder, await outcome { try await env.exportRelease(id, folder) })
            case .deleteRelease(let id, let profile):
                return .releaseDeleted(
                    id: id, profile: profile, await outcome { try await env.deleteRelease(id, profile) })
            case .copyRelease(let id, let profile):
                return .releaseCopied(
                    id: id, profile: profile, await outcome { try await env.copyRelease(id, profile) })
            case .startImport, .startImports, .resumeImport, .stopImport, .checkAudio, .cancelAudioCheck:
                return .operationFailed("internal: \(effect) is run by the store")
            }
        } catch {
            return .operationFailed("\(error)")
        }
    }
}

extension Task<Void, Never>? {
    /// Cancels the task held here and holds `task` instead.
    fileprivate mutating func replace(with task: Task<Void, Never>?) {
        self?.cancel()
        self = task
    }
}
