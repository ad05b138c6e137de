import Foundation

/// The write end of the pipe through which SIGINT's handler reports a Ctrl-C: a signal handler
/// may only make async-signal-safe calls, so it writes one byte and a thread of its own cancels
/// the command. Set before the handler is installed, and only by `withInterruptCancelling`,
/// which commands do not nest.
nonisolated(unsafe) private var interruptPipe: Int32 = -1

private func reportInterrupt(_: Int32) {
    var byte: UInt8 = 1
    _ = write(interruptPipe, &byte, 1)
}

/// Runs `body` in a task that SIGINT (Ctrl-C) cancels, so a command stops cleanly.
///
/// The handler is a plain `sigaction` installed before `body` starts. A dispatch signal source
/// lost Ctrl-Cs: it is registered asynchronously after `resume()`, and on Linux a SIGINT that
/// reaches a thread not blocking it before then is consumed by the disposition in force (it had
/// to be SIG_IGN) — an export ran to its end under load after Ctrl-C (seen in CI).
func withInterruptCancelling<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else {
        // Without a pipe Ctrl-C keeps its default: the process ends at once.
        return await body()
    }
    let (reading, writing) = (ends[0], ends[1])
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    interruptPipe = writing
    var action = sigaction()
    action.__sigaction_handler.sa_handler = reportInterrupt
    action.sa_flags = SA_RESTART
    sigemptyset(&action.sa_mask)
    var previous = sigaction()
    sigaction(SIGINT, &action, &previous)

    let task = Task { await body() }
    let watcher = Thread {
        var byte: UInt8 = 0
        while true {
            let count = read(reading, &byte, 1)
            if count == 1 {
                task.cancel()
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break  // the write end closed: the command is over
            }
        }
        close(reading)
    }
    watcher.start()
    let value = await task.value
    sigaction(SIGINT, &previous, nil)
    close(writing)
    return value
}

/// Runs `body` in a task that SIGINT (Ctrl-C) cancels, passing on its result or error. Once
/// cancelled, whatever `body` throws (a store reports a cancelled request as its own error) is
/// the interruption: `interrupted` is said, with exit status 130.
func withThrowingInterruptCancelling<T: Sendable>(
    interrupted: String = "interrupted; run the same command again to resume",
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let result: Result<T, any Error> = await withInterruptCancelling {
        do {
            return .success(try await body())
        } catch {
            return .failure(Task.isCancelled ? CancellationError() : error)
        }
    }
    if case .failure(let error) = result, error is CancellationError {
        throw CLIFailure(message: interrupted, code: 130)
    }
    return try result.get()
}
