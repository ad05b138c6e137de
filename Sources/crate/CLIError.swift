import ArgumentParser
import CrateCatalog
import CrateCore
import CrateImporter
import Foundation

/// A failure to report to the user: the message goes to standard error, prefixed with
/// `crate:`, and the process exits with `code`.
struct CLIFailure: Error, CustomStringConvertible {
    var message: String
    var code: Int32 = 1

    var description: String { message }
}

/// Runs `body`, turning Crate's errors into a one-line message on standard error and a
/// non-zero exit, instead of ArgumentParser's generic "Error:" dump.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as CLIFailure {
        printError(error.message)
        throw ExitCode(error.code)
    } catch let error as any KindedError {
        // Every module's errors say what kind they are: 64 bad input, 66 not found, 1 failure.
        printError("\(error)")
        throw ExitCode(error.kind.exitStatus)
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        printError("\(error)")
        throw ExitCode(1)
    }
}

func printError(_ message: String) {
    Terminal.writeError("crate: \(message)\n")
}
