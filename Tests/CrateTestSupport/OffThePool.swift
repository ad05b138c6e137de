import Foundation
import Synchronization

/// Runs blocking `work` on a thread of its own and resumes with its value.
///
/// Swift concurrency's cooperative pool has one thread per core — two here — and the tests of
/// every suite share it. A test that waits for a child process or sleeps on one of them (two
/// did at once, for seconds) stalled every other test: a cancellation measured in the S3
/// outage tests took 4–9 s under the whole suite and 2 ms alone.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        onOwnThread { continuation.resume(returning: work()) }
    }
}

/// `offThePool` for throwing work.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await offThePool { Result { try work() } }.get()
}

/// Runs `work` on a thread of its own. Not on Dispatch's global queue: its pool has a limit,
/// and with dozens of tests each blocking a worker on a child process, a waiter (or a pipe
/// reader) queued behind them started seconds late — long enough for a child to finish
/// what the test meant to interrupt, or to block on a full pipe.
public func onOwnThread(_ work: @escaping @Sendable () -> Void) {
    let thread = Thread { work() }
    thread.stackSize = 1 << 20
    thread.start()
}

/// A command-line tool (sox, flac, convert, python3, ...) run to its end off the cooperative
/// pool.
public enum Tool {
    public struct Outcome: Sendable {
        public let status: Int32
        public let output: Data
        public let errors: Data

        public var outputText: String { String(decoding: output, as: UTF8.self) }
        public var errorText: String { String(decoding: errors, as: UTF8.self) }
    }

    /// Runs `arguments` (found on the PATH) and returns how it ended, whatever its status.
    public static func run(_ arguments: [String]) async throws -> Outcome {
        try await offThePool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // Standard error on a thread of its own: a tool filling one pipe while we wait on
            // the other would never end.
            let errorData = Mutex(Data())
            let errorsRead = DispatchSemaphore(value: 0)
            onOwnThread {
                let data = errors.fileHandleForReading.readDataToEndOfFile()
                errorData.withLock { $0 = data }
                errorsRead.signal()
            }
            let data = output.fileHandleForReading.readDataToEndOfFile()
            errorsRead.wait()
            process.waitUntilExit()
            return Outcome(status: process.terminationStatus, output: data, errors: errorData.withLock { $0 })
        }
    }

    /// Runs `arguments` and returns its standard output; throws `ToolFailed` naming the tool
    /// and what it said when it fails.
    @discardableResult
    public static func output(_ arguments: [String]) async throws -> String {
        let outcome = try await run(arguments)
        guard outcome.status == 0 else {
            throw ToolFailed(
                description: "\(arguments.joined(separator: " ")) failed (scripts/install-deps --test installs it?): "
                    + outcome.errorText)
        }
        return outcome.outputText
    }
}
