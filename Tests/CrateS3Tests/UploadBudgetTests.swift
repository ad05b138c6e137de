import Synchronization
import Testing

@testable import CrateS3

/// `UploadBudget` is what keeps concurrent uploads (several whole files of a release at once)
/// within a fixed amount of memory: the bound, the order, and cancellation must hold.
@Suite struct UploadBudgetTests {
    @Test func concurrentHoldersStayWithinTheLimit() async throws {
        let budget = UploadBudget(limit: 10)
        let held = HeldBytes()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let bytes = 1 + index % 4
                    try await budget.acquire(bytes)
                    held.add(bytes)
                    try await Task.sleep(for: .milliseconds(1))
                    held.add(-bytes)
                    budget.release(bytes)
                }
            }
            try await group.waitForAll()
        }
        #expect(held.peak <= 10)
        #expect(budget.peakInUse <= 10)
        #expect(held.peak > 4, "holders should overlap")
        // Everything was given back: the whole budget is free again.
        try await budget.acquire(10)
        budget.release(10)
    }

    @Test func aCancelledWaiterTakesNothingAndLetsTheNextOneGo() async throws {
        let budget = UploadBudget(limit: 8)
        try await budget.acquire(6)
        let large = Task { try await budget.acquire(8) }
        // Give the large waiter time to queue, then queue a small one behind it.
        while budget.waiting < 1 { await Task.yield() }
        let small = Task {
            try await budget.acquire(2)
            budget.release(2)
        }
        while budget.waiting < 2 { await Task.yield() }
        large.cancel()
        await #expect(throws: CancellationError.self) { try await large.value }
        // The small one fits beside the 6 held and no longer waits behind the cancelled one.
        try await small.value
        budget.release(6)
        try await budget.acquire(8)
        budget.release(8)
        #expect(budget.peakInUse == 8)
    }

    @Test func aBodyLargerThanTheBudgetTakesAllOfIt() async throws {
        let budget = UploadBudget(limit: 4)
        try await budget.acquire(100)
        #expect(budget.peakInUse == 4)
        budget.release(100)
        try await budget.acquire(4)
        budget.release(4)
    }
}

/// Bytes the test's holders have at once, and the most they ever had.
private final class HeldBytes: Sendable {
    private let state = Mutex((current: 0, peak: 0))

    var peak: Int { state.withLock { $0.peak } }

    func add(_ bytes: Int) {
        state.withLock {
            $0.current += bytes
            $0.peak = max($0.peak, $0.current)
        }
    }
}
