import Foundation

/// The moto S3 server `scripts/test` starts for the whole run.
public enum MotoServer {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String { "CRATE_TEST_S3_ENDPOINT is not set; run scripts/test" }
    }

    /// `CRATE_TEST_S3_ENDPOINT`; throws (failing the test, never skipping it) when it is missing.
    public static func endpoint() throws -> String {
        guard let endpoint = ProcessInfo.processInfo.environment["CRATE_TEST_S3_ENDPOINT"], !endpoint.isEmpty else {
            throw NotConfigured()
        }
        return endpoint
    }
}
