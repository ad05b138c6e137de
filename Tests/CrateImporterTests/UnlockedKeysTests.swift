import CrateCatalog
import CrateStorage
import Foundation
import Synchronization
import Testing

@testable import CrateImporter

@Suite struct UnlockedKeysTests {
    final class Asks: Sendable {
        let count = Mutex(0)
    }

    /// An opener that counts how often it is asked for the passphrase (each ask is one scrypt).
    static func countingOpener(_ asks: Asks, passphrase: String, keys: UnlockedKeys) -> ProfileOpener {
        var opener = ProfileOpener { _ in
            asks.count.withLock { $0 += 1 }
            return passphrase
        }
        opener.unlockedKeys = keys
        return opener
    }

    @Test func aSessionUnwrapsEachProfileOnce() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("vault", encrypted: true, chunked: true)
        let id = try await harness.importRelease(Fixtures.album, into: "vault")
        let asks = Asks()
        let keys = UnlockedKeys()
        let opener = Self.countingOpener(asks, passphrase: OperationsHarness.passphrase, keys: keys)
        for _ in 0..<3 {
            let (storage, _) = try await ReleaseCopies(catalog: harness.catalog, opener: opener)
                .open(release: id, profileName: "vault")
            #expect(try await storage.readFile("rip.log").readAll().count == 89)
        }
        #expect(asks.count.withLock { $0 } == 1)
    }

    /// Ctrl-C while a key is being derived (a minute with the strongest parameters a profile may
    /// carry) ends the import's wait at once; the shared derivation goes on and its key is kept.
    @Test(.timeLimit(.minutes(1)))
    func aCancelledWaitForAnUnlockEndsAtOnceAndTheKeyIsStillKept() async throws {
        let harness = try OperationsHarness()
        let record = try await harness.addProfile("vault", encrypted: true, chunked: true)
        let keys = UnlockedKeys()
        let gate = DispatchSemaphore(value: 0)
        let key = DataKey.random()
        let shared = keys.unlock(record) {
            try await BlockingIO.compute {
                gate.wait()
                return key
            }
        }
        let waiter = Task { try await shared.valueUnlessCancelled() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(keys.key(for: record) == nil, "the derivation is still held at the gate")
        gate.signal()
        #expect(try await shared.value.keyID == key.keyID)
        #expect(keys.key(for: record)?.keyID == key.keyID)
    }

    /// Unlocks started while another is still deriving share it: one scrypt, one key. A batch
    /// plans its next release while the first one's key is still being derived; two at once
    /// held twice scrypt's 64 MiB.
    @Test func unlockingsStartedTogetherDeriveOnce() async throws {
        let harness = try OperationsHarness()
        let record = try await harness.addProfile("vault", encrypted: true, chunked: true)
        let keys = UnlockedKeys()
        let runs = Mutex(0)
        let gate = Mutex(false)
        let key = DataKey.random()
        let unwrap = { @Sendable () throws -> DataKey in
            runs.withLock { $0 += 1 }
            while !gate.withLock({ $0 }) { usleep(1_000) }
            return key
        }
        let tasks = (0..<4).map { _ in keys.unlock(record, unwrap: unwrap) }
        gate.withLock { $0 = true }
        for task in tasks { #expect(try await task.value.keyID == key.keyID) }
        #expect(runs.withLock { $0 } == 1)
        #expect(keys.key(for: record)?.keyID == key.keyID)
        // A failure is not kept: the next unlock runs again.
        let other = try await harness.addProfile("other", encrypted: true, chunked: true)
        let failing = keys.unlock(other) { throw StorageError.wrongPassphrase(profile: "other") }
        await #expect(throws: StorageError.self) { try await failing.value }
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await keys.unlock(other, unwrap: { key }).value.keyID == key.keyID)
    }

    /// Imports unlock beside scanning (`startUnlocking`); they share the session's keys too.
    @Test func importsInOneSessionUnwrapOnce() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("vault", encrypted: true)
        let asks = Asks()
        let opener = Self.countingOpener(asks, passphrase: OperationsHarness.passphrase, keys: UnlockedKeys())
        let importer = Importer(catalog: harness.catalog, opener: opener)
        for folder in [Fixtures.album, try harness.makeFolder("second", files: [("a.bin", 1000, 1)])] {
            let job = try importer.prepare(source: folder, profileName: "vault")
            let outcome = await importer.run(jobId: job.id) { _ in }
            #expect(outcome.releaseId != nil, "\(outcome)")
        }
        #expect(asks.count.withLock { $0 } == 1)
    }

    @Test func aWrongPassphraseIsNeverRemembered() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("vault", encrypted: true)
        let record = try harness.catalog.profile(named: "vault")
        let asks = Asks()
        let keys = UnlockedKeys()
        let wrong = Self.countingOpener(asks, passphrase: "not it", keys: keys)
        for _ in 0..<2 {
            await #expect(throws: StorageError.wrongPassphrase(profile: "vault")) { _ = try await wrong.open(record) }
        }
        #expect(asks.count.withLock { $0 } == 2)
        #expect(keys.key(for: record) == nil)
    }

    @Test func aNewPassphraseIsUnwrappedAgain() async throws {
        let harness = try OperationsHarness()
        try await harness.addProfile("vault", encrypted: true)
        let keys = UnlockedKeys()
        let asks = Asks()
        let before = try harness.catalog.profile(named: "vault")
        let key = try await Self.countingOpener(asks, passphrase: OperationsHarness.passphrase, keys: keys).dataKey(
            for: before)
        #expect(keys.key(for: before) == key)

        try await ProfileKeyChanger(catalog: harness.catalog, opener: harness.opener, scrypt: { .forTesting() })
            .changePassphrase(profileName: "vault") { "new passphrase" }
        let after = try harness.catalog.profile(named: "vault")
        // The cached key belongs to the old wrapping; the old passphrase no longer opens it.
        #expect(keys.key(for: after) == nil)
        let stale = Self.countingOpener(asks, passphrase: OperationsHarness.passphrase, keys: keys)
        await #expect(throws: StorageError.wrongPassphrase(profile: "vault")) {
            _ = try await stale.dataKey(for: after)
        }
        let fresh = Self.countingOpener(asks, passphrase: "new passphrase", keys: keys)
        await #expect(try fresh.dataKey(for: after) == key)
        #expect(asks.count.withLock { $0 } == 3)
    }
}
