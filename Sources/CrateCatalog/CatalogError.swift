import CrateCore
import Foundation
import GRDB

/// Errors of the catalog. `description` is the message a user reads.
public enum CatalogError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The catalog file could not be created or opened.
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not a SQLite database (or is damaged).
    case notADatabase(path: String)
    /// The catalog was written by a newer Crate: `found` are its schema steps this Crate does
    /// not know, `known` the newest one it does.
    case newerSchema(path: String, found: [String], known: String)
    /// A profile failed validation.
    case invalidProfile(ProfileValidationError)
    /// No profile has this name.
    case unknownProfile(String, known: [String])
    /// The profile still holds release copies, named here.
    case profileInUse(String, releases: [String])
    /// The change would alter how stored releases are laid out.
    case layoutChangeRefused(String, releaseCount: Int)
    /// No release has this id or id prefix.
    case unknownRelease(String)
    /// Several releases start with this prefix.
    case ambiguousRelease(String, candidates: [String])
    /// Any other database failure.
    case database(String)

    init(_ error: any Error, path: String) {
        if let error = error as? CatalogError {
            self = error
        } else if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: self = .notADatabase(path: path)
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
                self = .cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
            default: self = .database(error.message ?? "\(error)")
            }
        } else {
            self = .database("\(error)")
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the catalog \(path): \(reason)"
        case .notADatabase(let path):
            "the catalog \(path) is not a Crate database (or is damaged); move it aside and run "
                + "`crate recover --profile NAME` to rebuild it from storage"
        case .newerSchema(let path, let found, let known):
            "the catalog \(path) has schema \(found.joined(separator: ", ")) from a newer version of Crate; "
                + "this Crate reads schemas up to \(known). Upgrade Crate (nothing was changed)"
        case .invalidProfile(let error):
            error.description
        case .unknownProfile(let name, let known):
            known.isEmpty
                ? "no profile named \"\(name)\"; there are no profiles yet — add one with `crate profile add`"
                : "no profile named \"\(name)\"; known profiles: \(known.joined(separator: ", "))"
        case .profileInUse(let name, let releases):
            "profile \"\(name)\" still holds \(releases.count) release(s): "
                + releases.prefix(5).joined(separator: "; ") + (releases.count > 5 ? "; …" : "")
                + " — remove or move them first (`crate rm RELEASE --profile \(name)`)"
        case .layoutChangeRefused(let name, let count):
            "profile \"\(name)\" holds \(count) release(s); its encryption and chunking cannot change — "
                + "create a new profile and copy the releases to it"
        case .unknownRelease(let id):
            "no release with id \"\(id)\"; list them with `crate releases`"
        case .ambiguousRelease(let prefix, let candidates):
            "\"\(prefix)\" matches several releases; give more of the id: " + candidates.joined(separator: "; ")
        case .database(let message):
            "catalog error: \(message)"
        }
    }
}

extension CatalogError: KindedError {
    public var kind: FailureKind {
        switch self {
        case .invalidProfile, .ambiguousRelease, .profileInUse, .layoutChangeRefused: .badInput
        case .unknownProfile, .unknownRelease: .notFound
        case .cannotOpen, .notADatabase, .newerSchema, .database: .failure
        }
    }
}
