import Foundation
import Testing

/// `crate profile test` and the S3 failures a user meets first, through the real binary.
@Suite struct ProfileTestCommandTests {
    @Test func testsALocalAndAnS3Profile() async throws {
        let crate = try CrateProcess()
        defer { crate.removeHome() }
        #expect(try await crate.run(["profile", "add", "home", "--local", crate.home + "/home"]).status == 0)
        let local = try await crate.run(["profile", "test", "home"])
        #expect(local.status == 0, "\(local.stderr)")
        #expect(local.stdout.contains("profile home works: write"))

        let bucket = try await MotoBucket.create("probe")
        let endpoint = try MotoBucket.endpoint()
        let add = try await crate.run([
            "profile", "add", "cloud", "--s3", "s3://\(bucket)/p", "--endpoint", endpoint, "--path-style",
        ])
        #expect(add.status == 0, "\(add.stderr)")
        let cloud = try await crate.run(["profile", "test", "cloud"])
        #expect(cloud.status == 0, "\(cloud.stderr)")
        #expect(cloud.stdout.contains("read"))
        #expect(cloud.stdout.contains("delete"))
    }

    @Test func s3ProblemsSayWhatToFixAndStoreNothing() async throws {
        var crate = try CrateProcess()
        defer { crate.removeHome() }
        let endpoint = try MotoBucket.endpoint()
        let unreachable = try await crate.run([
            "profile", "add", "x", "--s3", "s3://music/p", "--endpoint", "http://127.0.0.1:1", "--path-style",
        ])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("cannot reach http://127.0.0.1:1"))

        let missing = try await crate.run([
            "profile", "add", "x", "--s3", "s3://no-such-bucket-here/p", "--endpoint", endpoint, "--path-style",
        ])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("bucket no-such-bucket-here does not exist"))

        crate.environment["AWS_ACCESS_KEY_ID"] = ""
        crate.environment["AWS_SECRET_ACCESS_KEY"] = ""
        crate.environment["HOME"] = crate.home
        crate.environment["AWS_SHARED_CREDENTIALS_FILE"] = crate.home + "/none"
        let noCredentials = try await crate.run([
            "profile", "add", "x", "--s3", "s3://music/p", "--endpoint", endpoint, "--path-style",
        ])
        #expect(noCredentials.status == 1)
        #expect(noCredentials.stderr.contains("no S3 credentials"), "\(noCredentials.stderr)")
        #expect(!(try await crate.run(["profile", "list"]).stdout.contains(" x ")))
    }
}
