import CrateStorage
import Foundation

/// Where a profile's passphrase comes from: `CRATE_PASSPHRASE`, a `--passphrase-file`, or a
/// hidden prompt on the terminal. Never a command-line argument; the passphrase is returned to
/// the caller and never logged or written anywhere.
enum PassphraseSource: Sendable, Equatable {
    /// The `CRATE_PASSPHRASE` environment variable.
    case environment
    /// The first line of a file (`--passphrase-file PATH`).
    case file(path: String)
    /// A hidden prompt on `/dev/tty`, asking twice when `confirm` (for new passphrases).
    case prompt(confirm: Bool)

    static let environmentVariable = "CRATE_PASSPHRASE"

    /// The source the rules pick: a file when given, else the environment when set, else the
    /// terminal.
    static func choose(
        passphraseFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        confirm: Bool = false
    ) -> PassphraseSource {
        if let passphraseFile { return .file(path: passphraseFile) }
        if environment[environmentVariable] != nil { return .environment }
        return .prompt(confirm: confirm)
    }

    /// Reads the passphrase. `label` names the profile in the prompt.
    func read(
        label: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String {
        let passphrase: String
        switch self {
        case .environment:
            guard let value = environment[Self.environmentVariable] else {
                throw StorageError.passphraseUnavailable(reason: "\(Self.environmentVariable) is not set")
            }
            passphrase = value
        case .file(let path):
            // Read through a handle: `FileManager.contents` refuses pipes, and a passphrase
            // file is often one (`--passphrase-file <(pass show crate)`).
            guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd() ?? Data()
            else {
                throw StorageError.passphraseUnavailable(reason: "cannot read the passphrase file \(path)")
            }
            try? handle.close()
            let text = String(decoding: data, as: UTF8.self)
            passphrase = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        case .prompt(let confirm):
            let first = try TerminalPrompt.readHidden("Passphrase for profile \(label): ")
            if confirm {
                let second = try TerminalPrompt.readHidden("Repeat the passphrase: ")
                guard first == second else {
                    throw StorageError.passphraseUnavailable(reason: "the two passphrases differ")
                }
            }
            passphrase = first
        }
        guard !passphrase.isEmpty else { throw StorageError.passphraseUnavailable(reason: "the passphrase is empty") }
        return passphrase
    }
}

/// Reads a line from `/dev/tty` with echo off, restoring the terminal however it ends.
enum TerminalPrompt {
    static func readHidden(_ prompt: String) throws -> String {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.passphraseUnavailable(reason: "there is no terminal to ask on") }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else {
            throw StorageError.passphraseUnavailable(reason: "cannot switch the terminal's echo off")
        }
        var hidden = saved
        hidden.c_lflag &= ~tcflag_t(ECHO)
        hidden.c_lflag |= tcflag_t(ICANON)
        guard tcsetattr(fd, TCSAFLUSH, &hidden) == 0 else {
            throw StorageError.passphraseUnavailable(reason: "cannot switch the terminal's echo off")
        }
        defer {
            _ = tcsetattr(fd, TCSAFLUSH, &saved)
            _ = write(fd, "\n", 1)
        }
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 || byte == 0x0A || byte == 0x0D { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }
}
