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

    init() throws {
        home = NSTemporaryDirectory() + "crate-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    func run(_ arguments: [String], stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["CRATE_HOME"] = home
        env.removeValue(forKey: "CRATE_PASSPHRASE")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }

    func removeHome() {
        try? FileManager.default.removeItem(atPath: home)
    }
}
