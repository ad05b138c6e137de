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

    /// `CRATE_TEST_S3_TLS_ENDPOINT`: the second moto server, over HTTPS with a certificate from
    /// a private CA (`caBundle()`), which `scripts/test` makes with openssl.
    public static func tlsEndpoint() throws -> String {
        try variable("CRATE_TEST_S3_TLS_ENDPOINT")
    }

    /// `CRATE_TEST_CA_BUNDLE`: the PEM file of the private CA behind `tlsEndpoint()`.
    public static func caBundle() throws -> String {
        try variable("CRATE_TEST_CA_BUNDLE")
    }

    private static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { throw NotConfigured() }
        return value
    }
}
