import CrateS3
import Foundation
import Testing

struct S3CredentialsTests {
    /// A shared credentials file in a fresh temporary directory.
    func credentialsFile(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crate-creds-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("credentials").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    let file = """
        # comment
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        [work]
        AWS_ACCESS_KEY_ID=AKIDWORK
        aws_secret_access_key=work/secret+=
        aws_session_token = tok
        ; another comment
        """

    @Test func environmentComesFirst() throws {
        let credentials = try S3Credentials.resolve(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "t",
            "AWS_SHARED_CREDENTIALS_FILE": try credentialsFile(file),
        ])
        #expect(credentials == S3Credentials(accessKeyId: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "t"))
    }

    @Test func namedProfilesFromTheSharedFile() throws {
        let path = try credentialsFile(file)
        let base = ["AWS_SHARED_CREDENTIALS_FILE": path]
        #expect(try S3Credentials.resolve(environment: base).accessKeyId == "AKIDDEFAULT")
        let work = try S3Credentials.resolve(environment: base.merging(["AWS_PROFILE": "work"]) { $1 })
        #expect(work == S3Credentials(accessKeyId: "AKIDWORK", secretAccessKey: "work/secret+=", sessionToken: "tok"))
        // An explicit profile (the storage profile's choice) wins over the environment's keys.
        let explicit = try S3Credentials.resolve(
            profile: "work", environment: base.merging(["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B"]) { $1 })
        #expect(explicit.accessKeyId == "AKIDWORK")
    }

    @Test func homeDirectoryFileByDefault() throws {
        let path = try credentialsFile(file)
        let home = URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent().path
        let aws = home + "/.aws"
        try FileManager.default.createDirectory(atPath: aws, withIntermediateDirectories: true)
        try file.write(toFile: aws + "/credentials", atomically: true, encoding: .utf8)
        #expect(try S3Credentials.resolve(environment: ["HOME": home]).accessKeyId == "AKIDDEFAULT")
    }

    @Test func clearMessageWhenNothingIsFound() throws {
        let missing = "/nonexistent/crate/credentials"
        #expect(
            throws: S3Error.noCredentials(
                profile: "default", file: missing, reason: "the file does not exist or cannot be read")
        ) {
            try S3Credentials.resolve(environment: ["AWS_SHARED_CREDENTIALS_FILE": missing])
        }
        let path = try credentialsFile(file)
        do {
            _ = try S3Credentials.resolve(profile: "nope", environment: ["AWS_SHARED_CREDENTIALS_FILE": path])
            Issue.record("resolved a missing profile")
        } catch {
            #expect(
                error.description
                    == "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add a [nope] profile to \(path) (it has no [nope] section)"
            )
        }
    }

    @Test func descriptionsNeverShowTheSecret() {
        let credentials = S3Credentials(
            accessKeyId: "AKIDX", secretAccessKey: "very-secret", sessionToken: "session-tok")
        for text in ["\(credentials)", String(describing: credentials), String(reflecting: credentials)] {
            #expect(text.contains("AKIDX"))
            #expect(!text.contains("very-secret"))
            #expect(!text.contains("session-tok"))
        }
    }
}
