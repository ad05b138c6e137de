import Foundation
import Testing

@testable import CrateTerminalUI

/// A `config.toml` with a mistake: the message names the file and line, and Crate goes on with
/// the defaults for what it could not use.
@Suite struct ConfigFileTests {
    /// Writes `text` as config.toml in a new folder; returns the folder.
    func configFolder(_ text: String) throws -> String {
        let folder = NSTemporaryDirectory() + "crate-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: folder + "/config.toml", atomically: true, encoding: .utf8)
        return folder
    }

    @Test func aBrokenLineIsNamedAndTheDefaultsApply() throws {
        let folder = try configFolder("# settings\ntheme = \"mono\n")
        let (theme, problem) = ThemeChoice.resolve(option: nil, environment: [:], configDirectory: folder)
        #expect(theme.name == "default")
        #expect(
            problem
                == "\(folder)/config.toml, line 2: the value of theme must be a \"string\", true, false or a whole "
                + "number; fix that line — the whole file is ignored until then")
    }

    @Test func anUnknownKeyIsNamedAndTheRestStillApplies() throws {
        let folder = try configFolder("colour = \"blue\"\ntheme = \"mono\"\n")
        let (theme, problem) = ThemeChoice.resolve(option: nil, environment: [:], configDirectory: folder)
        #expect(theme.name == "mono")
        #expect(problem == "\(folder)/config.toml, line 1: unknown setting \"colour\" (known: theme); ignored")
    }

    @Test func aValueOfTheWrongTypeIsNamedAndTheDefaultApplies() throws {
        let folder = try configFolder("\n\ntheme = 3\n")
        let (theme, problem) = ThemeChoice.resolve(option: nil, environment: [:], configDirectory: folder)
        #expect(theme.name == "default")
        #expect(
            problem
                == "\(folder)/config.toml, line 3: theme must be a name or path in quotes, as theme = \"light\"; "
                + "using the default theme")
    }

    @Test func aMistakeIsReportedEvenWhenTheThemeComesFromElsewhere() throws {
        let folder = try configFolder("theme = mono\n")
        let (theme, problem) = ThemeChoice.resolve(option: "light", environment: [:], configDirectory: folder)
        #expect(theme.name == "light")
        #expect(problem?.hasPrefix("\(folder)/config.toml, line 1:") == true)
    }

    @Test func noFileIsNoProblem() {
        #expect(ConfigFile.load(directory: "/nonexistent") == ConfigFile())
    }
}
