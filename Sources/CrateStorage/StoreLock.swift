import CrateCore
import Foundation

/// A lock kept in a profile's store as the object `locks/<32 hex digits>`: plain JSON, never
/// sealed (deciding whether a store is in use must not need its key), naming no release.
///
/// Writers (import, copy) hold a *shared* lock while they store objects, from before the first
/// "is this chunk already there?" check until their manifest is stored. Deleting objects (gc,
/// the reclamation after `rm` or a cancel) needs the *exclusive* lock. Because the lock lives in
/// the store, it excludes processes on other machines and under other catalogs too.
/// docs/storage-format.md §"Locks" is the format; docs/decisions.md says why.
public struct StoreLockRecord: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case shared, exclusive
    }

    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var kind: Kind
    /// What holds it: `import`, `copy`, `gc`, `rm`, `cancel`.
    public var operation: String
    /// The holder's host name and process id.
    public var host: String
    public var pid: Int32
    /// Which running system (boot id and pid namespace) `pid` belongs to: two machines may
    /// share a host name, a container may share the host's; `nil` in locks that lack it.
    public var machine: String?
    /// Seconds without refresh after which the holder considers its lock stale (its setting,
    /// which every reader uses to judge it); `nil`: the format's 30 minutes.
    public var staleAfter: Double?
    public var created: Date
    /// When the holder last rewrote the lock; it goes stale `staleAfter` later.
    public var refreshed: Date

    public init(
        kind: Kind, operation: String, host: String, pid: Int32, machine: String? = nil, staleAfter: Double? = nil,
        created: Date
    ) {
        formatVersion = Self.currentFormatVersion
        self.kind = kind
        self.operation = operation
        self.host = host
        self.pid = pid
        self.machine = machine
        self.staleAfter = staleAfter
        self.created = created
        refreshed = created
    }

    func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(self))
    }

    static func parse(_ bytes: [UInt8]) throws -> StoreLockRecord {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(StoreLockRecord.self, from: Data(bytes))
    }
}

/// One lock found in a store, and whether it still counts.
public struct StoreLockInfo: Sendable, Hashable, CustomStringConvertible {
    /// Why a lock no longer counts.
    public enum Staleness: Sendable, Hashable {
        /// Not refreshed for longer than `staleAfter` (seconds since its last refresh).
        case expired(age: TimeInterval)
        /// Written by a process of this host that has ended.
        case ownerGone
        /// Not a lock Crate writes (undecodable); puts are atomic, so no live Crate wrote it.
        case unreadable(reason: String)
    }

    public var key: String
    public var record: StoreLockRecord?
    /// `nil` while the lock counts.
    public var staleness: Staleness?
    /// Seconds since its last refresh, by this machine's clock.
    public var age: TimeInterval

    public var isStale: Bool { staleness != nil }
    public var isExclusive: Bool { record?.kind == .exclusive }

    public var description: String {
        guard let record else {
            if case .unreadable(let reason) = staleness { return "unreadable lock \(key) (\(reason))" }
            return "lock \(key)"
        }
        let when = age < -60 ? "in \(Self.duration(-age)) (its clock is ahead of ours)" : "\(Self.duration(age)) ago"
        var text =
            "\(record.kind.rawValue) lock of \(record.operation) by \(record.host) pid \(record.pid), "
            + "refreshed \(when) (\(key))"
        switch staleness {
        case .expired: text += ", stale"
        case .ownerGone: text += ", stale: that process has ended"
        case .unreadable, nil: break
        }
        if record.formatVersion > StoreLockRecord.currentFormatVersion { text += ", written by a newer Crate" }
        return text
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let whole = max(0, Int(seconds.rounded()))
        if whole < 120 { return "\(whole) s" }
        if whole < 7200 { return "\(whole / 60) min" }
        return "\(whole / 3600) h"
    }
}

/// Why a store lock could not be taken or was lost.
public enum StoreLockError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Locks that count stand in the way.
    case conflict(wanted: StoreLockRecord.Kind, operation: String, holders: [StoreLockInfo])
    /// A lock this process held is gone from the store or was not refreshed in time: another
    /// process took it for stale, so what was done under it cannot be trusted.
    case lost(key: String, reason: String)

    public var description: String {
        switch self {
        case .conflict(.exclusive, let operation, let holders):
            "the store is in use (\(holders.map(\.description).joined(separator: "; "))); \(operation) deletes "
                + "nothing while another process may be writing: run it again once that has finished "
                + "(a lock goes stale \(StoreLocks.Settings.standard.staleAfterText) after its last refresh, "
                + "or as soon as its process on this host has ended; `crate unlock` removes stale locks)"
        case .conflict(.shared, let operation, let holders):
            "the store is being cleaned up (\(holders.map(\.description).joined(separator: "; "))) and \(operation) "
                + "gave up waiting for it (CRATE_LOCK_WAIT sets how long); run it again once that has finished "
                + "(for an import: `crate import --resume`), or, if that process is gone, `crate unlock` removes "
                + "its lock once it is stale"
        case .lost(let key, let reason):
            "this process's lock \(key) on the store was lost (\(reason)); what it stored is kept, "
                + "run the command again (for an import: `crate import --resume`)"
        }
    }
}

/// The locks of one store: listing them, taking one, clearing stale ones.
public struct StoreLocks: Sendable {
    public static let prefix = "locks/"

    /// Timing and identity; tests shorten the times and pretend to be other hosts.
    public struct Settings: Sendable {
        /// A lock not refreshed for this long no longer counts (30 minutes, as restic's).
        public var staleAfter: TimeInterval = Settings.formatStaleAfter
        /// What a lock that does not say otherwise is judged by (docs/storage-format.md §6a).
        public static let formatStaleAfter: TimeInterval = 30 * 60
        /// How often a held lock is rewritten.
        public var refreshEvery: TimeInterval = 5 * 60
        /// How long a writer waits for an exclusive lock to go before it gives up.
        public var writerWait: TimeInterval = 5 * 60
        public var host: String = StoreLocks.hostName()
        public var pid: Int32 = getpid()
        public var machine: String = StoreLocks.machineIdentity()
        public var now: @Sendable () -> Date = { Date() }
        /// Whether a process of this host is still running.
        public var isAlive: @Sendable (Int32) -> Bool = { pid in kill(pid, 0) == 0 || errno == EPERM }

        public init() {}

        /// The defaults, with `CRATE_LOCK_STALE_AFTER`, `CRATE_LOCK_REFRESH` and `CRATE_LOCK_WAIT`
        /// (seconds) applied when set.
        public static let standard: Settings = {
            var settings = Settings()
            let environment = ProcessInfo.processInfo.environment
            func seconds(_ name: String) -> TimeInterval? {
                environment[name].flatMap(TimeInterval.init).flatMap { $0 >= 0 ? $0 : nil }
            }
            if let value = seconds("CRATE_LOCK_STALE_AFTER") { settings.staleAfter = value }
            if let value = seconds("CRATE_LOCK_REFRESH") { settings.refreshEvery = value }
            if let value = seconds("CRATE_LOCK_WAIT") { settings.writerWait = value }
            settings.refreshEvery = min(settings.refreshEvery, settings.staleAfter / 3)
            return settings
        }()

        var staleAfterText: String { StoreLockInfo.duration(staleAfter) }
    }

    public let store: any ObjectStore
    public let settings: Settings

    public init(store: any ObjectStore, settings: Settings = .standard) {
        self.store = store
        self.settings = settings
    }

    /// Every lock in the store, judged.
    public func list() async throws -> [StoreLockInfo] {
        var result: [StoreLockInfo] = []
        for object in try await store.list(prefix: Self.prefix) {
            let bytes: [UInt8]
            do {
                bytes = try await store.getAll(object.key)
            } catch StorageError.notFound {
                continue  // released while we listed
            }
            result.append(judge(key: object.key, bytes: bytes))
        }
        return result
    }

    func judge(key: String, bytes: [UInt8]) -> StoreLockInfo {
        struct Version: Decodable { var formatVersion: Int }
        if let version = try? JSONDecoder().decode(Version.self, from: Data(bytes)),
            version.formatVersion > StoreLockRecord.currentFormatVersion
        {
            // A newer Crate's lock: its rules are unknown here, so it counts, whatever it holds.
            var record = StoreLockRecord(
                kind: .exclusive, operation: "a newer Crate", host: "?", pid: 0, created: .distantPast)
            record.formatVersion = version.formatVersion
            return StoreLockInfo(key: key, record: record, staleness: nil, age: 0)
        }
        guard let record = try? StoreLockRecord.parse(bytes) else {
            return StoreLockInfo(key: key, record: nil, staleness: .unreadable(reason: "not a Crate lock"), age: 0)
        }
        let age = settings.now().timeIntervalSince(record.refreshed)
        var staleness: StoreLockInfo.Staleness?
        let sameSystem = record.host == settings.host && record.machine == settings.machine
        if sameSystem && record.pid != settings.pid && !settings.isAlive(record.pid) {
            staleness = .ownerGone
        } else if age > (record.staleAfter ?? Settings.formatStaleAfter) {
            staleness = .expired(age: age)
        }
        return StoreLockInfo(key: key, record: record, staleness: staleness, age: age)
    }

    /// Takes a lock of `kind`: writes it, then looks at the others. A shared lock gives way to
    /// a live exclusive one, an exclusive lock to any live lock; giving way means removing our
    /// own and waiting (up to `waitUpTo` seconds, telling `onWait` who holds the store) or
    /// throwing `StoreLockError.conflict`. Two processes taking conflicting locks at once may
    /// both give way, never both proceed: each writes before it looks.
    ///
    /// Stale locks that would have conflicted are removed (the holder, should it still run,
    /// finds its lock gone and stops), and returned in `overridden` to be reported.
    public func acquire(
        _ kind: StoreLockRecord.Kind, operation: String, waitUpTo: TimeInterval = 0,
        onWait: @Sendable ([StoreLockInfo]) async -> Void = { _ in }
    ) async throws -> HeldStoreLock {
        let started = settings.now()
        var pause: TimeInterval = 0.2
        while true {
            let record = StoreLockRecord(
                kind: kind, operation: operation, host: settings.host, pid: settings.pid, machine: settings.machine,
                staleAfter: settings.staleAfter, created: settings.now())
            let key = Self.prefix + Self.newName()
            try await store.put(key, bytes: try record.jsonBytes())
            let others: [StoreLockInfo]
            do {
                others = try await list().filter { $0.key != key }
            } catch {
                await Self.deleteUncancelled(key, from: store)
                throw error
            }
            let conflicting = others.filter { kind == .exclusive || $0.isExclusive || $0.record == nil }
            let holders = conflicting.filter { !$0.isStale }
            if holders.isEmpty {
                let overridden = conflicting.filter(\.isStale)
                do {
                    // Gone before anything is read under our lock: their holders, should they
                    // still run, find out (`HeldStoreLock.check`) before trusting their work.
                    for lock in overridden { try await store.delete(lock.key) }
                } catch {
                    await Self.deleteUncancelled(key, from: store)
                    throw error
                }
                let held = HeldStoreLock(key: key, record: record, locks: self, overridden: overridden)
                held.startRefreshing()
                return held
            }
            await Self.deleteUncancelled(key, from: store)
            guard settings.now().timeIntervalSince(started) + pause <= waitUpTo else {
                throw StoreLockError.conflict(wanted: kind, operation: operation, holders: holders)
            }
            await onWait(holders)
            try await Task.sleep(nanoseconds: UInt64(pause * 1e9))
            pause = min(pause * 2, 5)
        }
    }

    /// Removes every stale lock (and, with `all`, every lock); returns what it removed.
    public func removeStale(all: Bool = false) async throws -> [StoreLockInfo] {
        var removed: [StoreLockInfo] = []
        for lock in try await list() where all || lock.isStale {
            try await store.delete(lock.key)
            removed.append(lock)
        }
        return removed
    }

    /// Deletes a lock even from a cancelled task (a store may refuse work in one): a lock left
    /// behind would keep every gc away until it goes stale.
    static func deleteUncancelled(_ key: String, from store: any ObjectStore) async {
        await Task { try? await store.delete(key) }.value
    }

    /// This running system: the kernel's boot id and this process's pid namespace, so that a
    /// pid is only ever judged on the system it belongs to.
    static func machineIdentity() -> String {
        let boot =
            (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown-boot"
        let namespace = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid")) ?? "pid:?"
        return boot + "/" + namespace
    }

    static func newName() -> String { Hex.random(bytes: 16) }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "unknown-host" : name
    }
}
