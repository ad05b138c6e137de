import Foundation

/// A folder a batch import passes over, and why.
public struct SkippedSource: Hashable, Sendable, Codable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// The release folders found under a path given to `crate import`.
public struct FoundReleases: Hashable, Sendable {
    /// Absolute paths of release folders, in UTF-8 byte order.
    public var releases: [String] = []
    /// Folders holding no audio, or that could not be read; topmost only.
    public var skipped: [SkippedSource] = []
    /// Release folders that also hold other folders with audio (imported as one release).
    public var notes: [String] = []

    public init(releases: [String] = [], skipped: [SkippedSource] = [], notes: [String] = []) {
        self.releases = releases
        self.skipped = skipped
        self.notes = notes
    }
}

/// Finds the releases in a folder tree, by one rule applied from the top down:
///
/// * a folder that holds audio files, or disc folders (`CD1`, `Disc 2`, `Disk 02`, `cd-3`, …)
///   that hold audio files, is **one release**, with everything below it; its subfolders are
///   not searched further;
/// * any other folder is searched, each subfolder by the same rule;
/// * a folder with no audio anywhere below it is skipped and reported (the topmost only) —
///   unless nothing in the tree holds audio, when the folder given is taken as one release.
///
/// So a single album folder stays one release, an artist folder of albums gives one release per
/// album, and a whole library gives one per album however deep the artist/year levels go.
/// `crate import --one-release` bypasses the search. Symbolic links to folders are followed as
/// the scanner does; a loop is reported as skipped.
public enum ReleaseFinder {
    public static func find(_ path: String) throws(ImportError) -> FoundReleases {
        let root = URL(fileURLWithPath: path).standardizedFileURL.path
        var info = stat()
        guard stat(root, &info) == 0 else {
            if errno == ENOENT { throw .missingSource(root) }
            throw .unreadable(root, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .sourceNotAFolder(root) }
        var found = FoundReleases()
        var visited: Set<[UInt64]> = [[UInt64(info.st_dev), UInt64(info.st_ino)]]
        let folder = try look(at: root)
        if folder.isRelease {
            found.releases = [root]
            found.notes = folder.note.map { [$0] } ?? []
            return found
        }
        search(folder, visited: &visited, into: &found)
        if found.releases.isEmpty {
            // Nothing below holds audio: the folder is what it was given as, one release.
            return FoundReleases(
                releases: [root], notes: ["no audio files in \(root) or below; it is imported as one release"])
        }
        return found
    }

    /// Disc folders: `CD1`, `CD 2`, `Disc 03`, `disk-4`, `DVD1`, with anything after the number.
    static func isDiscFolder(_ name: String) -> Bool {
        let lower = name.lowercased()
        guard let prefix = ["disc", "disk", "cd", "dvd"].first(where: { lower.hasPrefix($0) }) else { return false }
        let rest = lower.dropFirst(prefix.count).drop { " ._-".contains($0) }
        return rest.first?.isASCII == true && rest.first?.isNumber == true
    }

    /// What one folder holds, one level down.
    private struct Folder {
        var path: String
        var hasAudio = false
        var subfolders: [String] = []
        var discFoldersWithAudio: [String] = []
        var isRelease: Bool { hasAudio || !discFoldersWithAudio.isEmpty }
        /// Set on a release that also holds non-disc folders with audio.
        var note: String?
    }

    private static func look(at path: String) throws(ImportError) -> Folder {
        var folder = Folder(path: path)
        for name in try SourceScanner.names(in: path) {
            let child = path + "/" + name
            var info = stat()
            guard stat(child, &info) == 0 else { continue }  // the release's scan reports it
            if info.st_mode & S_IFMT == S_IFDIR {
                folder.subfolders.append(child)
            } else if MediaType.isAudio(name) {
                folder.hasAudio = true
            }
        }
        folder.subfolders.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for child in folder.subfolders where isDiscFolder((child as NSString).lastPathComponent) {
            if (try? look(at: child))?.hasAudio == true { folder.discFoldersWithAudio.append(child) }
        }
        if folder.isRelease {
            let others = folder.subfolders.filter { !folder.discFoldersWithAudio.contains($0) && holdsAudio($0) }
            if !others.isEmpty {
                let names = others.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
                folder.note =
                    "\(path) holds audio files and also folders with audio (\(names)); it is imported as "
                    + "one release. To import those separately, move the loose tracks into a folder of their own."
            }
        }
        return folder
    }

    private static func search(_ folder: Folder, visited: inout Set<[UInt64]>, into found: inout FoundReleases) {
        for child in folder.subfolders {
            var info = stat()
            guard stat(child, &info) == 0 else { continue }
            let identity = [UInt64(info.st_dev), UInt64(info.st_ino)]
            guard visited.insert(identity).inserted else {
                found.skipped.append(SkippedSource(path: child, reason: "a symbolic link back into the tree (a loop)"))
                continue
            }
            defer { visited.remove(identity) }
            let sub: Folder
            do {
                sub = try look(at: child)
            } catch {
                found.skipped.append(SkippedSource(path: child, reason: "\(error)"))
                continue
            }
            if sub.isRelease {
                found.releases.append(child)
                if let note = sub.note { found.notes.append(note) }
            } else if holdsAudio(child) {
                search(sub, visited: &visited, into: &found)
            } else {
                found.skipped.append(SkippedSource(path: child, reason: "no audio files in it"))
            }
        }
    }

    /// Whether any audio file lies anywhere below `path` (links followed, loops cut).
    private static func holdsAudio(_ path: String) -> Bool {
        var seen: Set<[UInt64]> = []
        func walk(_ path: String) -> Bool {
            var info = stat()
            guard stat(path, &info) == 0, seen.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted,
                let names = try? SourceScanner.names(in: path)
            else { return false }
            for name in names {
                let child = path + "/" + name
                var childInfo = stat()
                guard stat(child, &childInfo) == 0 else { continue }
                if childInfo.st_mode & S_IFMT == S_IFDIR {
                    if walk(child) { return true }
                } else if MediaType.isAudio(name) {
                    return true
                }
            }
            return false
        }
        return walk(path)
    }
}
