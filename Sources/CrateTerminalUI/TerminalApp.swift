import CrateAppModel
import Foundation

/// Runs the UI: a dedicated thread reads keys, sends them to the store and draws frames; a task
/// feeds effect results from the store's channel back into it. Nothing slow runs on the UI thread.
public enum TerminalApp {
    /// Runs until the user quits. `statusMessage` (e.g. a theme problem) shows first.
    public static func run(store: Store, theme: Theme, statusMessage: String? = nil) async {
        let pump = Task {
            for await action in store.results { store.send(action) }
        }
        store.send(.started)
        if let statusMessage { store.send(.statusPosted(statusMessage, isError: true)) }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                uiLoop(store: store, theme: theme)
                done.resume()
            }
            thread.name = "crate-ui"
            thread.start()
        }
        await store.shutDown()
        pump.cancel()
    }

    static func uiLoop(store: Store, theme: Theme) {
        let terminal = CursesTerminal(theme: theme)
        var drawn = -1
        var size = terminal.size
        // Once a second the store looks whether another process changed the catalog.
        var lastTick = ContinuousClock.now
        while true {
            if ContinuousClock.now - lastTick >= .seconds(1) {
                lastTick = .now
                store.send(.tick)
            }
            switch terminal.read() {
            case .key(.control("l")):
                // Redraw: the terminal's business, not the app model's.
                terminal.repaintAll()
                drawn = -1
            case .key(let key):
                store.send(.keyPressed(key))
            case .resized:
                size = terminal.size
                drawn = -1
            case nil:
                break
            }
            let (state, generation) = store.snapshot
            if state.quitRequested { break }
            if generation != drawn {
                terminal.draw(render(state, width: size.width, height: size.height))
                drawn = generation
            }
        }
    }
}
