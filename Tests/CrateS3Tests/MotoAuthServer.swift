import Foundation

/// A private moto server with authentication on, and an IAM user made on it for the test.
///
/// moto checks signatures once `INITIAL_NO_AUTH_ACTION_COUNT` requests have been served; the
/// first three (create a user, allow it `s3:*`, create its access key) go through the `aws` CLI
/// while the check is still off. moto rejects correct signatures for keys with percent-encoded
/// characters and for query strings containing `/` (its bugs), so tests here use plain keys.
final class MotoAuthServer: Sendable {
    let endpoint: String
    let credentials: (accessKeyId: String, secretAccessKey: String)
    private let process: Process
    private let input: Pipe

    struct Failed: Error, CustomStringConvertible { var description: String }

    init() throws {
        let port = try S3FaultTests.closedPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The shell kills moto when our end of its stdin closes, even if this test process dies.
        // SIGKILL, because a child of a Swift process inherits a mask that blocks SIGTERM.
        process.arguments = [
            "-c", "moto_server -H 127.0.0.1 -p \(port) >/dev/null 2>&1 & pid=$!; cat >/dev/null; kill -9 $pid",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_CA_BUNDLE"] = nil
        environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
        process.environment = environment
        let input = Pipe()
        process.standardInput = input
        try process.run()
        self.process = process
        self.input = input
        let endpoint = "http://127.0.0.1:\(port)"
        self.endpoint = endpoint
        var ready = false
        for _ in 0..<100 where !ready {
            ready = Self.canConnect(port: port)
            if !ready { usleep(100_000) }
        }
        guard ready else { throw Failed(description: "moto_server with authentication did not start on port \(port)") }
        func aws(_ arguments: [String]) throws -> Data { try Self.aws(arguments, endpoint: endpoint) }
        _ = try aws(["iam", "create-user", "--user-name", "crate"])
        _ = try aws([
            "iam", "put-user-policy", "--user-name", "crate", "--policy-name", "s3",
            "--policy-document",
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
        ])
        let output = try aws(["iam", "create-access-key", "--user-name", "crate"])
        struct Answer: Decodable {
            struct Key: Decodable {
                var accessKeyId: String
                var secretAccessKey: String
                enum CodingKeys: String, CodingKey {
                    case accessKeyId = "AccessKeyId"
                    case secretAccessKey = "SecretAccessKey"
                }
            }
            var accessKey: Key
            enum CodingKeys: String, CodingKey { case accessKey = "AccessKey" }
        }
        let key = try JSONDecoder().decode(Answer.self, from: output).accessKey
        self.credentials = (key.accessKeyId, key.secretAccessKey)
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Runs the `aws` CLI against this server (unauthenticated: dummy keys).
    private static func aws(_ arguments: [String], endpoint: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["aws", "--endpoint-url", endpoint, "--output", "json"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_CA_BUNDLE"] = nil
        environment["AWS_ACCESS_KEY_ID"] = "setup"
        environment["AWS_SECRET_ACCESS_KEY"] = "setup"
        environment["AWS_DEFAULT_REGION"] = "us-east-1"
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(
                description:
                    "aws \(arguments.prefix(2).joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self))"
            )
        }
        return data
    }

    private static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
