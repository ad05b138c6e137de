import Foundation
import Testing

@testable import CrateTerminalUI

@Suite("Themes: TOML subset, built-ins, choice and fallback")
struct ThemeTests {
    static let repoThemes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes")

    @Test(arguments: ["default", "light", "high-contrast", "mono"])
    func builtInThemesMatchTheFilesAndParse(name: String) throws {
        let file = try String(contentsOf: Self.repoThemes.appendingPathComponent("\(name).toml"), encoding: .utf8)
        #expect(
            BuiltinThemes.all[name]?.trimmingCharacters(in: .newlines) == file.trimmingCharacters(in: .newlines),
            "themes/\(name).toml changed: run scripts/embed-themes")
        let theme = try Theme.parse(file, file: "\(name).toml")
        #expect(theme.name == name)
    }

    @Test func monoHasNoColoursAndDefaultHasSome() {
        let mono = ThemeChoice.builtin("mono")
        #expect(mono.looks.values.allSatisfy { $0.foreground == -1 && $0.background == -1 })
        #expect(mono.look(.selected).reverse)
        #expect(ThemeChoice.builtin("default").look(.error).foreground == 9)
    }

    /// The selected row is reverse video under every theme and under `NO_COLOR`, so what `d`
    /// would delete is visible on any terminal; a role a background colour set apart is
    /// reversed when colours go.
    @Test(arguments: ["default", "light", "high-contrast", "mono"])
    func theSelectionIsReverseVideoEverywhere(name: String) {
        let theme = ThemeChoice.builtin(name)
        #expect(theme.look(.selected).reverse)
        let plain = theme.withoutColors
        #expect(plain.look(.selected).reverse)
        #expect(plain.looks.values.allSatisfy { $0.foreground == -1 && $0.background == -1 })
        for (style, look) in theme.looks where look.background >= 0 {
            #expect(plain.look(style).reverse, "\(name): \(style) keeps standing out without colours")
        }
    }

    @Test func tomlSubsetReadsTablesValuesAndComments() throws {
        let values = try TOMLSubset.parse(
            """
            # comment
            name = "x # not a comment" # comment
            [styles.normal]
            fg = 12
            bold = true
            """)
        #expect(values["name"] == .string("x # not a comment"))
        #expect(values["styles.normal.fg"] == .integer(12))
        #expect(values["styles.normal.bold"] == .bool(true))
    }

    @Test func aMalformedThemeNamesFileAndLine() {
        #expect(throws: ThemeError(file: "t.toml", line: 3, message: "expected key = value")) {
            try Theme.parse("[styles.normal]\nfg = \"red\"\nbold\n", file: "t.toml")
        }
        #expect(throws: ThemeError.self) { try Theme.parse("[styles.nope]\nfg = \"red\"\n", file: "t.toml") }
        do {
            _ = try Theme.parse("[styles.normal]\nfg = \"purple\"\n", file: "t.toml")
            Issue.record("accepted purple")
        } catch {
            #expect(error.line == 2)
        }
    }

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "crate-theme-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path + "/themes", withIntermediateDirectories: true)
        return path
    }

    @Test func optionBeatsEnvironmentBeatsConfig() throws {
        let config = try temporaryDirectory()
        try "theme = \"mono\"\n".write(toFile: config + "/config.toml", atomically: true, encoding: .utf8)
        #expect(ThemeChoice.resolve(option: nil, environment: [:], configDirectory: config).theme.name == "mono")
        #expect(
            ThemeChoice.resolve(option: nil, environment: ["CRATE_THEME": "light"], configDirectory: config).theme.name
                == "light")
        #expect(
            ThemeChoice.resolve(option: "high-contrast", environment: ["CRATE_THEME": "light"], configDirectory: config)
                .theme.name == "high-contrast")
    }

    @Test func aBrokenThemeFileFallsBackToDefaultWithAMessage() throws {
        let config = try temporaryDirectory()
        try "name = \"mine\"\n[styles.normal]\nfg = \"red\n".write(
            toFile: config + "/themes/mine.toml", atomically: true, encoding: .utf8)
        let (theme, problem) = ThemeChoice.resolve(option: "mine", environment: [:], configDirectory: config)
        #expect(theme.name == "default")
        #expect(problem?.contains("mine.toml, line 3") == true)
        let missing = ThemeChoice.resolve(option: "/nope/x.toml", environment: [:], configDirectory: config)
        #expect(missing.problem?.contains("/nope/x.toml") == true)
    }

    @Test func noColorKeepsAttributesOnly() {
        let (theme, _) = ThemeChoice.resolve(
            option: nil, environment: ["NO_COLOR": "1"], configDirectory: "/nonexistent")
        #expect(theme.looks.values.allSatisfy { $0.foreground == -1 && $0.background == -1 })
        #expect(theme.look(.title).bold)
    }
}
