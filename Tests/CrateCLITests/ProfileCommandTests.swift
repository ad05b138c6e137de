import Foundation
import Testing

@Suite struct ProfileCommandTests {
    let crate: CrateProcess

    init() throws { crate = try CrateProcess() }

    @Test func printsHelpAndVersion() async throws {
        defer { crate.removeHome() }
        let help = try await crate.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("profile"))
        let version = try await crate.run(["--version"])
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let profileHelp = try await crate.run(["profile", "add", "--help"])
        #expect(profileHelp.stdout.contains("--chunk-size"))
    }

    @Test func addsAllEightCombinationsAndListsThemAsJSON() async throws {
        defer { crate.removeHome() }
        var crate = crate
        crate.environment["CRATE_PASSPHRASE"] = "correct horse battery staple"
        let endpoint = try MotoBucket.endpoint()
        let bucket = try await MotoBucket.create("cli")
        var expected: [String] = []
        for location in ["local", "s3"] {
            for encrypted in [false, true] {
                for chunked in [false, true] {
                    let name = "\(location)-\(encrypted ? "sealed" : "plain")-\(chunked ? "chunked" : "whole")"
                    var arguments = ["profile", "add", name]
                    arguments +=
                        location == "local"
                        ? ["--local", crate.home + "/store-" + name]
                        : ["--s3", "s3://\(bucket)/\(name)", "--endpoint", endpoint, "--path-style"]
                    if encrypted { arguments.append("--encrypted") }
                    if chunked { arguments += ["--chunked", "--chunk-size", "1MiB"] }
                    let result = try await crate.run(arguments)
                    #expect(result.status == 0, "\(arguments): \(result.stderr)")
                    expected.append(name)
                }
            }
        }
        let list = try await crate.run(["profile", "list", "--json"])
        #expect(list.status == 0)
        let profiles = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(profiles.count == 8)
        #expect(Set(profiles.compactMap { $0["name"] as? String }) == Set(expected))
        let sealedS3 = profiles.first { $0["name"] as? String == "s3-sealed-chunked" }
        #expect(sealedS3?["encrypted"] as? Bool == true)
        #expect(sealedS3?["chunkSize"] as? Int == 1 << 20)
        let location = sealedS3?["location"] as? [String: Any]
        #expect(location?["bucket"] as? String == bucket)
        #expect(location?["addressing"] as? String == "path")
        #expect(profiles.filter { $0["isDefault"] as? Bool == true }.count == 1)
    }

    @Test func showsEditsSetsDefaultAndRemoves() async throws {
        defer { crate.removeHome() }
        #expect(try await crate.run(["profile", "add", "a", "--local", crate.home + "/a"]).status == 0)
        #expect(try await crate.run(["profile", "add", "b", "--local", crate.home + "/b", "--default"]).status == 0)
        let show = try await crate.run(["profile", "show", "b", "--json"])
        let b = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        #expect(b?["isDefault"] as? Bool == true)

        let edit = try await crate.run(["profile", "edit", "a", "--name", "c", "--chunked", "--chunk-size", "512KiB"])
        #expect(edit.status == 0, "\(edit.stderr)")
        #expect(edit.stdout.contains("chunked 512KiB"))
        #expect(try await crate.run(["profile", "default", "c"]).status == 0)
        let list = try await crate.run(["profile", "list"])
        #expect(list.stdout.contains("*  c "))

        let remove = try await crate.run(["profile", "remove", "c"])
        #expect(remove.status == 0)
        #expect(remove.stdout.contains("no default profile now"))
        #expect(try await crate.run(["profile", "list", "--json"]).stdout.contains("\"b\""))
    }

    @Test(arguments: [
        (["profile", "add", "x", "--local", "relative/dir"], "is relative; give an absolute path"),
        (["profile", "add", "", "--local", "/tmp/x"], "the profile name is empty"),
        (["profile", "add", "x", "--local", "/tmp/x", "--chunk-size", "1MiB"], "add --chunked or drop --chunk-size"),
        (["profile", "add", "x", "--local", "/tmp/x", "--chunked", "--chunk-size", "3MiB"], "not a power of two"),
        (["profile", "add", "x", "--local", "/tmp/x", "--chunked", "--chunk-size", "128KiB"], "outside 256KiB…64MiB"),
        (["profile", "add", "x", "--local", "/tmp/x", "--chunked", "--chunk-size", "lots"], "is not a size"),
        (["profile", "add", "x", "--s3", "music", "--endpoint", "http://h"], "write it as s3://BUCKET"),
        (["profile", "add", "x", "--s3", "s3://Music", "--endpoint", "http://h"], "not a valid bucket name"),
        (["profile", "add", "x", "--s3", "s3://music", "--endpoint", "h:9000"], "is not an endpoint URL"),
        (["profile", "add", "x", "--s3", "s3://music"], "--s3 needs --endpoint"),
        (["profile", "add", "x"], "say where to store"),
        (["profile", "show", "ghost"], "no profile named \"ghost\""),
        (["profile", "remove", "ghost"], "no profile named \"ghost\""),
    ])
    func rejectsBadInputOnStandardError(arguments: [String], message: String) async throws {
        defer { crate.removeHome() }
        let result = try await crate.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "stderr was: \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func anEncryptedProfileWrapsItsKeyAndReattachesOnlyWithThePassphrase() async throws {
        defer { crate.removeHome() }
        let store = crate.home + "/sealed"
        var withPassphrase = crate
        withPassphrase.environment["CRATE_PASSPHRASE"] = "correct horse battery staple"
        let add = try await withPassphrase.run([
            "profile", "add", "vault", "--local", store, "--encrypted", "--chunked",
        ])
        #expect(add.status == 0, "\(add.stderr)")
        let descriptor = try String(contentsOfFile: store + "/crate-profile.json", encoding: .utf8)
        #expect(descriptor.contains("\"wrappedKey\""))
        #expect(descriptor.contains("\"scrypt\""))
        #expect(!descriptor.contains("correct horse"))
        let catalogBytes = try Data(contentsOf: URL(fileURLWithPath: crate.home + "/catalog.sqlite"))
        #expect(catalogBytes.range(of: Data("correct horse".utf8)) == nil)

        // No passphrase source at all: a clear message, nothing written.
        let unasked = try await crate.run(["profile", "add", "other", "--local", crate.home + "/other", "--encrypted"])
        #expect(unasked.status == 1)
        #expect(unasked.stderr.contains("no terminal to ask on"), "\(unasked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: crate.home + "/other/crate-profile.json"))

        // The folder already holds a profile: adding it again attaches, after the passphrase.
        #expect(try await crate.run(["profile", "remove", "vault"]).status == 0)
        var wrong = crate
        wrong.environment["CRATE_PASSPHRASE"] = "Tr0ub4dor&3"
        let refused = try await wrong.run(["profile", "add", "vault", "--local", store])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("wrong passphrase for profile vault"))
        #expect(!(try await crate.run(["profile", "list"]).stdout.contains("vault")))
        let attached = try await withPassphrase.run(["profile", "add", "vault", "--local", store])
        #expect(attached.status == 0)
        #expect(attached.stdout.contains("attached profile vault"))
        #expect(attached.stdout.contains("encrypted, chunked 4MiB"))
        #expect(attached.stderr.contains("its settings were kept"))
    }

    @Test func refusesADuplicateName() async throws {
        defer { crate.removeHome() }
        #expect(try await crate.run(["profile", "add", "a", "--local", crate.home + "/a"]).status == 0)
        let again = try await crate.run(["profile", "add", "a", "--local", crate.home + "/b"])
        #expect(again.status == 64)
        #expect(again.stderr.contains("a profile named \"a\" already exists"))
    }

    @Test func refusesACatalogThatIsNotADatabase() async throws {
        defer { crate.removeHome() }
        let junk = Data("this is not sqlite, it is my shopping list\n".utf8) + Data(repeating: 0x20, count: 4096)
        try junk.write(to: URL(fileURLWithPath: crate.home + "/catalog.sqlite"))
        let result = try await crate.run(["profile", "list"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not a Crate database"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: crate.home + "/catalog.sqlite")) == junk)
    }
}
