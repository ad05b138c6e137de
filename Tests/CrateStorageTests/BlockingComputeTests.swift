import CrateStorage
import Foundation
import Synchronization
import Testing

/// `BlockingIO.compute`, which runs a passphrase's scrypt: off the cooperative pool, and a
/// cancelled caller does not wait for it.
@Suite struct BlockingComputeTests {
    /// A gate the work waits at, opened from a task.
    final class Gate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        let passed = Atomic<Int>(0)
        func wait() {
            semaphore.wait()
            passed.add(1, ordering: .sequentiallyConsistent)
        }
        func open(_ count: Int) { for _ in 0..<count { semaphore.signal() } }
    }

    @Test(.timeLimit(.minutes(1)))
    func moreBlockedWorkThanPoolThreadsLeavesThePoolFree() async throws {
        // More waiting computations than the pool has threads: on the pool, the task that
        // opens the gate could never run, and this test would hang.
        let gate = Gate()
        let count = ProcessInfo.processInfo.activeProcessorCount + 2
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await BlockingIO.compute {
                        gate.wait()
                        return index
                    }
                }
            }
            group.addTask {
                try await Task.sleep(nanoseconds: 50_000_000)
                gate.open(count)
                return -1
            }
            var seen: Set<Int> = []
            for try await index in group { seen.insert(index) }
            #expect(seen == Set(-1..<count))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aCancelledCallerStopsWaitingAndTheWorkStillEnds() async throws {
        let gate = Gate()
        let started = Atomic<Bool>(false)
        let caller = Task {
            try await BlockingIO.compute {
                started.store(true, ordering: .sequentiallyConsistent)
                gate.wait()
                return 1
            }
        }
        while !started.load(ordering: .sequentiallyConsistent) { try await Task.sleep(nanoseconds: 1_000_000) }
        caller.cancel()
        // The work is still held at the gate: the caller ends without it.
        await #expect(throws: CancellationError.self) { try await caller.value }
        #expect(gate.passed.load(ordering: .sequentiallyConsistent) == 0)
        gate.open(1)
        while gate.passed.load(ordering: .sequentiallyConsistent) == 0 { try await Task.sleep(nanoseconds: 1_000_000) }
    }

    @Test func resultsAndErrorsComeBack() async throws {
        #expect(try await BlockingIO.compute { 6 * 7 } == 42)
        await #expect(throws: CocoaError.self) { try await BlockingIO.compute { throw CocoaError(.fileNoSuchFile) } }
    }
}
