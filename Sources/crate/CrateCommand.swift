import ArgumentParser
import CrateCore

/// The `crate` command: the composition root. With no subcommand it starts the terminal UI.
@main
struct CrateCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "crate",
        abstract:
            "A terminal workstation for a music archive: import releases into storage profiles and read them back.",
        discussion: """
            Data lives under $XDG_DATA_HOME/crate and settings under $XDG_CONFIG_HOME/crate;
            set CRATE_HOME to keep both in one folder.
            """,
        version: version,
        subcommands: [
            ProfileCommand.self, ImportCommand.self, ReleasesCommand.self, ShowCommand.self, CatCommand.self,
            ExportCommand.self, VerifyCommand.self, CopyCommand.self, RemoveCommand.self, GCCommand.self,
            RecoverCommand.self,
        ]
    )

    func run() async throws {
        // The terminal UI arrives with its own issue; until then say so plainly.
        print("Crate \(Self.version): the terminal UI is not built yet. Try `crate --help` or `crate profile --help`.")
    }
}
