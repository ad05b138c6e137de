import Foundation

/// `config.toml` in the config directory: the settings Crate knows (today only `theme`).
/// Read leniently: a line Crate cannot use is reported with the file and line, and the default
/// applies instead, so a typo in the settings never stops the user's work.
public struct ConfigFile: Equatable, Sendable {
    /// A theme name or `.toml` path, from `theme = "..."`.
    public var theme: String?
    /// One message per problem, naming the file and line and what Crate did instead.
    public var problems: [String] = []

    /// Reads `<directory>/config.toml`; a missing file is simply no settings.
    public static func load(directory: String) -> ConfigFile {
        let path = directory + "/config.toml"
        guard FileManager.default.fileExists(atPath: path) else { return ConfigFile() }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return ConfigFile(problems: ["cannot read \(path) as UTF-8 text; using the default settings"])
        }
        return parse(text, path: path)
    }

    static func parse(_ text: String, path: String) -> ConfigFile {
        var config = ConfigFile()
        let entries: [TOMLSubset.Entry]
        do {
            entries = try TOMLSubset.entries(text)
        } catch {
            config.problems.append(
                "\(path), line \(error.line): \(error.message); fix that line — the whole file is ignored until then")
            return config
        }
        for entry in entries {
            switch (entry.key, entry.value) {
            case ("theme", .string(let name)):
                config.theme = name
            case ("theme", _):
                config.problems.append(
                    "\(path), line \(entry.line): theme must be a name or path in quotes, as theme = \"light\"; "
                        + "using the default theme")
            default:
                config.problems.append(
                    "\(path), line \(entry.line): unknown setting \"\(entry.key)\" (known: theme); ignored")
            }
        }
        return config
    }
}
