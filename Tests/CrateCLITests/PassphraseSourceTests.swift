import CrateStorage
import Foundation
import Testing

@testable import crate

@Suite struct PassphraseSourceTests {
    @Test func choosesFileThenEnvironmentThenPrompt() {
        #expect(
            PassphraseSource.choose(passphraseFile: "/f", environment: ["CRATE_PASSPHRASE": "x"]) == .file(path: "/f"))
        #expect(PassphraseSource.choose(passphraseFile: nil, environment: ["CRATE_PASSPHRASE": "x"]) == .environment)
        #expect(PassphraseSource.choose(passphraseFile: nil, environment: [:], confirm: true) == .prompt(confirm: true))
    }

    @Test func readsTheEnvironmentAndFiles() throws {
        #expect(
            try PassphraseSource.environment.read(label: "p", environment: ["CRATE_PASSPHRASE": "s3cret"]) == "s3cret")
        let folder = NSTemporaryDirectory() + "crate-passphrase-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/pass"
        try Data("file secret\nignored\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try PassphraseSource.file(path: path).read(label: "p") == "file secret")
        #expect(throws: StorageError.self) { try PassphraseSource.file(path: path + "-missing").read(label: "p") }
        #expect(throws: StorageError.self) { try PassphraseSource.environment.read(label: "p", environment: [:]) }
    }

    /// `--passphrase-file <(pass show crate)` hands Crate a pipe, not a regular file.
    @Test func readsAPipe() throws {
        let pipe = Pipe()
        try pipe.fileHandleForWriting.write(contentsOf: Data("piped secret\n".utf8))
        try pipe.fileHandleForWriting.close()
        let path = "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)"
        #expect(try PassphraseSource.file(path: path).read(label: "p") == "piped secret")
    }
}
