import Foundation

/// Picks the theme: `--theme NAME|PATH`, else `CRATE_THEME`, else `theme = "..."` in the
/// config file, else `default`. A name is looked up in `<config>/themes/NAME.toml`, then among
/// the built-in themes; anything with a `/` or ending in `.toml` is a path. A theme that cannot
/// be read gives the default theme; it and any problem in the config file (read even when the
/// theme comes from elsewhere, so a mistake there is never hidden) make a message for the
/// status line.
public enum ThemeChoice {
    public static func resolve(
        option: String?, environment: [String: String], configDirectory: String
    ) -> (theme: Theme, problem: String?) {
        let config = ConfigFile.load(directory: configDirectory)
        var problems = config.problems
        let requested = option ?? environment["CRATE_THEME"].flatMap { $0.isEmpty ? nil : $0 } ?? config.theme
        var theme = builtin("default")
        if let requested {
            do {
                theme = try load(requested, configDirectory: configDirectory)
            } catch {
                problems.append("\(error); using the default theme")
            }
        }
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return (noColor ? theme.withoutColors : theme, problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    /// A built-in theme by name; `default` for an unknown one.
    public static func builtin(_ name: String) -> Theme {
        let text = BuiltinThemes.all[name] ?? BuiltinThemes.all["default"]!
        // The built-in themes are checked by the tests, so this cannot fail at run time.
        return (try? Theme.parse(text, file: name + ".toml")) ?? Theme(name: name, looks: [:])
    }

    static func load(_ requested: String, configDirectory: String) throws(ThemeError) -> Theme {
        let isPath = requested.contains("/") || requested.hasSuffix(".toml")
        let path = isPath ? requested : configDirectory + "/themes/" + requested + ".toml"
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            return try Theme.parse(text, file: path)
        }
        if !isPath, let text = BuiltinThemes.all[requested] {
            return try Theme.parse(text, file: requested + ".toml")
        }
        let known = BuiltinThemes.all.keys.sorted().joined(separator: ", ")
        throw ThemeError(
            file: path, line: 0,
            message: isPath ? "cannot read the file" : "no theme named \(requested) (built in: \(known))")
    }
}
