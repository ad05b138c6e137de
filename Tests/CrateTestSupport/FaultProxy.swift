import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `Tests/Support/fault_proxy.py` in front of the moto server: injects 5xx, SlowDown, dropped
/// and truncated responses for the next requests, as told.
public final class FaultProxy: Sendable {
    public let endpoint: String
    private let process: Process
    /// The proxy exits when this closes, even if the test process dies without running `deinit`.
    private let input: Pipe

    public struct Stats: Decodable, Equatable, Sendable {
        public var forwarded: Int
        public var injected: Int
        public var pending: Int
        public var maxInFlight: Int
    }

    /// Starts a proxy (its own process, on a free port) in front of `upstream`.
    public init(upstream: String) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/fault_proxy.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, upstream]
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let text = String(data: line, encoding: .utf8), text.hasPrefix("PORT "),
            let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            try? input.fileHandleForWriting.close()
            process.terminate()
            throw ProxyFailed(
                description: "fault_proxy.py did not report its port: \(String(decoding: line, as: UTF8.self))")
        }
        self.process = process
        self.input = input
        self.endpoint = "http://127.0.0.1:\(port)"
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    /// Kills the proxy at once, as a server that dies: open connections break, new ones are
    /// refused.
    public func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
    }

    public struct ProxyFailed: Error, CustomStringConvertible { public var description: String }

    /// Faults for the next requests, one each, in order (see the script's doc string).
    public func inject(_ faults: [String]) async throws {
        var request = URLRequest(url: URL(string: endpoint + "/__proxy/faults")!)
        request.httpMethod = "PUT"
        request.httpBody = Data(faults.joined(separator: ",").utf8)
        _ = try await URLSession.shared.data(for: request)
    }

    public func stats() async throws -> Stats {
        let (data, _) = try await URLSession.shared.data(
            for: URLRequest(url: URL(string: endpoint + "/__proxy/stats")!))
        return try JSONDecoder().decode(Stats.self, from: data)
    }
}
