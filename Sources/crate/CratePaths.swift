import Foundation

/// Where Crate keeps its files: `$CRATE_HOME` for both data and config when set, else the XDG
/// base directories (`$XDG_DATA_HOME/crate`, `$XDG_CONFIG_HOME/crate`).
struct CratePaths {
    var dataDirectory: String
    var configDirectory: String

    var catalogPath: String { dataDirectory + "/catalog.sqlite" }

    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> CratePaths {
        if let home = environment["CRATE_HOME"], !home.isEmpty {
            return CratePaths(dataDirectory: home, configDirectory: home)
        }
        let userHome = environment["HOME"] ?? NSHomeDirectory()
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? userHome + "/.local/share"
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? userHome + "/.config"
        return CratePaths(dataDirectory: data + "/crate", configDirectory: config + "/crate")
    }
}
