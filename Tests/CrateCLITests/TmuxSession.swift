import Foundation

/// Drives a program in a detached tmux session on a private server socket: sends keys and reads
/// the screen back as text, as a user at a 120×40 terminal would see it.
struct TmuxSession {
    static var isAvailable: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let socket = "crate-e2e-" + UUID().uuidString.prefix(8)
    let name = "crate"

    /// Runs one tmux client command through `bash`, spawned and reaped here: Foundation's
    /// `Process` waits for a descriptor that the forked tmux server keeps open forever.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let output = NSTemporaryDirectory() + "crate-tmux-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: output) }
        // Descriptors this test process has open (other tests' pipes to their `crate` children)
        // are closed first: a tmux server would otherwise hold them for its whole life, and a
        // test reading such a pipe to its end would wait for it.
        let closeInherited = "for f in /proc/$$/fd/*; do n=${f##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done"
        let line =
            closeInherited + " 2>/dev/null; exec "
            + (["tmux", "-L", socket] + arguments).map(shellQuote).joined(separator: " ")
            + " </dev/null >\(shellQuote(output)) 2>/dev/null"
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] =
            ["/bin/bash", "-c", line].map { (arg: String) in strdup(arg) } + [nil]
        defer { for arg in argv { free(arg) } }
        // Swift's tasks run on Dispatch worker threads, which block most signals; a tmux server
        // spawned from one would inherit that mask (and hand it to the program in its pane).
        // Start it with no signal blocked and default handlers, as from a shell.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let status = posix_spawn(&pid, "/bin/bash", nil, &attributes, argv, environ)
        guard status == 0 else { throw TmuxTimeout(expected: "tmux to start", screen: "posix_spawn: \(status)") }
        var exit: Int32 = 0
        waitpid(pid, &exit, 0)
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    /// Starts `command` in `directory` with `environment` added.
    func start(_ command: [String], in directory: String, environment: [String: String]) throws {
        let assignments = environment.map { "\($0.key)=\(shellQuote($0.value))" }.joined(separator: " ")
        // If the program dies, the pane stays and says how, instead of vanishing with the session.
        let line =
            "env LANG=C.UTF-8 LC_ALL=C.UTF-8 \(assignments) " + command.map(shellQuote).joined(separator: " ")
            + "; echo \"[exited with status $?]\"; sleep 3600"
        try tmux(["new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-c", directory, line])
    }

    /// Sends tmux key names (`Enter`, `Down`, `C-u`).
    func keys(_ names: String...) throws {
        try tmux(["send-keys", "-t", name] + names)
    }

    /// Types text literally.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", name, "-l", text])
    }

    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", name])
    }

    /// Polls the screen until `text` shows, or fails with the last screen after `timeout`.
    ///
    /// Every 20 s without it, presses Ctrl-L (Crate's full repaint, which never reaches the app
    /// model): inside the full suite tmux was seen to show a stale or blank pane while the
    /// program had drawn the screen, until a repaint.
    @discardableResult
    func waitFor(_ text: String, timeout: Duration = .seconds(120)) async throws -> String {
        try await waitFor(shown: "\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// Polls the screen until `holds` is true of it (`shown` says what for the messages).
    @discardableResult
    func waitFor(shown text: String, timeout: Duration = .seconds(120), _ holds: (String) -> Bool) async throws
        -> String
    {
        let deadline = ContinuousClock.now + timeout
        var repaintAt = ContinuousClock.now + .seconds(20)
        var last = ""
        while ContinuousClock.now < deadline {
            last = try screen()
            if holds(last) { return last }
            if ContinuousClock.now >= repaintAt {
                print("tmux: \(text) not shown after 20 s; pressing Ctrl-L to repaint")
                try keys("C-l")
                repaintAt = ContinuousClock.now + .seconds(20)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let running = (try? isRunning()) ?? false
        throw TmuxTimeout(expected: text, screen: running ? last : "(no tmux session: the server is gone)\n" + last)
    }

    func kill() {
        _ = try? tmux(["kill-server"])
    }

    /// Whether the session still exists (tmux answers `has-session` with nothing either way,
    /// so ask for its name).
    func isRunning() throws -> Bool {
        try tmux(["list-sessions", "-F", "#{session_name}"]).contains(name)
    }

    private func shellQuote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

struct TmuxTimeout: Error, CustomStringConvertible {
    var expected: String
    var screen: String
    var description: String { "\"\(expected)\" never appeared; the screen was:\n\(screen)" }
}
