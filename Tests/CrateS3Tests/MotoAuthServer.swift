import CrateS3
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A private moto server with authentication on, and an IAM user made on it for the test.
///
/// moto checks signatures once `INITIAL_NO_AUTH_ACTION_COUNT` requests have been served; the
/// first three (create a user, allow it `s3:*`, create its access key) are IAM calls made while
/// the check is still off. moto rejects correct signatures for keys with percent-encoded
/// characters and for query strings containing `/` (its bugs), so tests here use plain keys.
final class MotoAuthServer: Sendable {
    let endpoint: String
    let credentials: (accessKeyId: String, secretAccessKey: String)
    private let process: Process
    private let input: Pipe

    struct Failed: Error, CustomStringConvertible { var description: String }

    init() async throws {
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
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard ready else { throw Failed(description: "moto_server with authentication did not start on port \(port)") }
        _ = try await Self.iam(["Action": "CreateUser", "UserName": "crate"], endpoint: endpoint)
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
        _ = try await Self.iam(
            ["Action": "PutUserPolicy", "UserName": "crate", "PolicyName": "s3", "PolicyDocument": policy],
            endpoint: endpoint)
        let answer = try await Self.iam(["Action": "CreateAccessKey", "UserName": "crate"], endpoint: endpoint)
        guard let keyId = Self.element("AccessKeyId", in: answer),
            let secret = Self.element("SecretAccessKey", in: answer)
        else { throw Failed(description: "CreateAccessKey answer lacks a key: \(answer)") }
        self.credentials = (keyId, secret)
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Calls moto's IAM API (Query protocol). moto routes by the service named in the signature's
    /// scope, so the request is signed for "iam" with dummy keys: authentication is still off.
    private static func iam(_ parameters: [String: String], endpoint: String) async throws -> String {
        let body = Data(
            (parameters.merging(["Version": "2010-05-08"]) { $1 }).sorted { $0.key < $1.key }
                .map { AWSURIEncoding.encode($0.key) + "=" + AWSURIEncoding.encode($0.value) }
                .joined(separator: "&").utf8)
        let url = URL(string: endpoint + "/")!
        let signer = SigV4Signer(
            credentials: S3Credentials(accessKeyId: "setup", secretAccessKey: "setup"), region: "us-east-1",
            service: "iam")
        let signature = signer.sign(
            method: "POST", path: "/",
            headers: ["host": url.host! + ":\(url.port!)", "content-type": "application/x-www-form-urlencoded"],
            payloadHash: SigV4Signer.payloadHash(body), date: Date())
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        for (name, value) in signature.headers where name != "host" {
            request.setValue(value, forHTTPHeaderField: name)
        }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        let text = String(decoding: data, as: UTF8.self)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw Failed(description: "IAM \(parameters["Action"] ?? "") failed: \(text)")
        }
        return text
    }

    /// The text of the first `<name>` element.
    private static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"),
            let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
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
