import CrateTestSupport
import Foundation

/// Runs the built `crate` binary, as a user would, in a private `CRATE_HOME`.
struct CrateProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary `swift build` put beside the test bundle (override with `CRATE_BINARY`).
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["CRATE_BINARY"] { return path }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let bundleDirectory = Bundle.main.bundleURL.path
        for candidate in [bundleDirectory + "/crate", packageRoot.path + "/.build/debug/crate"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return packageRoot.path + "/.build/debug/crate"
    }()

    let home: String
    var environment: [String: String] = [:]
    /// A command to run the binary through (e.g. `setpriv` to drop root), or none.
    var launcher: [String] = []

    init() throws {
        home = NSTemporaryDirectory() + "crate-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    /// Runs crate to its end. The wait is on a thread of its own, never on Swift's cooperative
    /// pool (two threads here): a test blocking the pool for a whole command starved every
    /// other test's tasks, watchdogs included, which then saw time-outs that were not there.
    func run(_ arguments: [String], stdin: String? = nil) async throws -> Result {
        try await start(arguments, stdin: stdin).finished()
    }

    /// Starts crate in the background; its output is collected as it comes.
    func start(_ arguments: [String], stdin: String? = nil) throws -> Running {
        let running = Running(process: makeProcess(arguments))
        try running.launch(stdin: stdin)
        return running
    }

    /// The binary (through `launcher`) with `arguments`, in this home, with `environment`.
    func makeProcess(_ arguments: [String]) -> Process {
        let command = launcher + [Self.binary] + arguments
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var env = ProcessInfo.processInfo.environment
        env["CRATE_HOME"] = home
        env.removeValue(forKey: "CRATE_PASSPHRASE")
        // New keys with cheap scrypt (honoured by debug builds only): seconds less per profile.
        env["CRATE_TEST_WEAK_SCRYPT"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        return process
    }

    /// A release folder `name` in the home holding `files` pseudo-random files of `size` bytes.
    /// They are named `.wav`, a format the audio check leaves alone: random bytes named `.flac`
    /// are a damaged FLAC, which the import refuses (tests of it make real audio).
    func makeAlbum(_ name: String, files: Int, size: Int) throws -> String {
        let folder = home + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for index in 1...files {
            try Data(SeededGenerator.bytes(count: size, seed: UInt64(name.utf8.count * 100 + index)))
                .write(to: URL(fileURLWithPath: folder + "/0\(index).wav"))
        }
        return folder
    }

    func removeHome() {
        try? FileManager.default.removeItem(atPath: home)
    }

    /// A crate process started with `start`.
    final class Running: @unchecked Sendable {
        let process: Process
        // Guarded by `lock`.
        private var stdoutData = Data()
        private var stderrData = Data()
        private let lock = NSLock()
        private let readers = DispatchGroup()
        /// Left when the process has exited. Foundation's `waitUntilExit` spins a run loop on
        /// Linux; dozens of waiting tests burnt a core on it.
        private let exited = DispatchGroup()

        init(process: Process) { self.process = process }

        var pid: Int32 { process.processIdentifier }
        var stdout: String { lock.withLock { String(decoding: stdoutData, as: UTF8.self) } }

        fileprivate func launch(stdin: String?) throws {
            let out = Pipe()
            let err = Pipe()
            let input = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = input
            exited.enter()
            process.terminationHandler = { [exited] _ in exited.leave() }
            do { try process.run() } catch {
                exited.leave()
                throw error
            }
            collect(out, isStdout: true)
            collect(err, isStdout: false)
            if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
            try input.fileHandleForWriting.close()
        }

        private func collect(_ pipe: Pipe, isStdout: Bool) {
            readers.enter()
            onOwnThread { [self] in
                while true {
                    let data = pipe.fileHandleForReading.availableData
                    if data.isEmpty { break }
                    lock.withLock {
                        if isStdout { stdoutData.append(data) } else { stderrData.append(data) }
                    }
                }
                readers.leave()
            }
        }

        /// Waits until standard output contains `text` (true) or the process ends without it,
        /// for at most `timeout` seconds.
        func waitForOutput(containing text: String, timeout: TimeInterval = 120) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if stdout.contains(text) { return true }
                if !process.isRunning { return stdout.contains(text) }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return false
        }

        /// Waits for the process to end and returns what it did; past `timeout` seconds it is
        /// killed (a hang) and the result is `nil`.
        func wait(timeout: TimeInterval) -> Result? {
            guard exited.wait(timeout: .now() + timeout) == .success else {
                kill(pid, SIGKILL)
                _ = wait()
                return nil
            }
            return wait()
        }

        /// `wait()` on a thread of its own, leaving the cooperative pool free meanwhile.
        func finished() async -> Result {
            await offThePool { self.wait() }
        }

        /// `wait(timeout:)` on a thread of its own.
        func finished(timeout: TimeInterval) async -> Result? {
            await offThePool { self.wait(timeout: timeout) }
        }

        /// `waitForOutput(containing:timeout:)` on a thread of its own.
        func output(containing text: String, timeout: TimeInterval = 120) async -> Bool {
            await offThePool { self.waitForOutput(containing: text, timeout: timeout) }
        }

        /// Waits, however long it takes, for the process to end and returns what it did.
        func wait() -> Result {
            exited.wait()
            readers.wait()
            return lock.withLock {
                Result(
                    status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                    stderr: String(decoding: stderrData, as: UTF8.self))
            }
        }
    }
}
