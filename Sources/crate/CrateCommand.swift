import ArgumentParser
import CrateAppModel
import CrateCore
import CrateTerminalUI
import Foundation

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
            RecoverCommand.self, UnlockCommand.self,
        ]
    )

    @Option(
        help: ArgumentHelp(
            "Colour theme for the terminal UI: default, light, high-contrast, mono, or a .toml file "
                + "(also CRATE_THEME, or theme = \"...\" in config.toml).", valueName: "NAME|PATH"))
    var theme: String?

    @OptionGroup var passphrase: PassphraseOptions

    /// Tunes the allocator before anything else runs, then hands over to ArgumentParser.
    static func main() async {
        MemoryTuning.apply()
        await main(nil)
    }

    /// With no subcommand: the terminal UI.
    func run() async throws {
        try await reportingErrors {
            guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
                throw CLIFailure(message: "the terminal UI needs a terminal; see `crate --help` for commands", code: 64)
            }
            let paths = CratePaths.fromEnvironment()
            let catalog = try openCatalog()
            let (theme, problem) = ThemeChoice.resolve(
                option: theme, environment: ProcessInfo.processInfo.environment,
                configDirectory: paths.configDirectory)
            var state = State(folderPath: FileManager.default.currentDirectoryPath)
            state.coverArt = theme.hasColors
            let store = Store(
                state: state,
                environment: try LiveEnvironment.make(catalog: catalog, passphraseFile: passphrase.passphraseFile))
            await TerminalApp.run(store: store, theme: theme, statusMessage: problem)
        }
    }
}
