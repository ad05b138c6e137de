import CrateCatalog
import Foundation
import Testing

@testable import CrateImporter

@Suite struct VerifySampleTests {
    func copies(_ sizes: [Int64]) -> [CopyVerificationState] {
        sizes.enumerated().map { index, size in
            CopyVerificationState(
                releaseId: "r\(index)", profileId: 1, profileName: "p", totalBytes: size, verifiedAt: nil,
                verifyResult: nil)
        }
    }

    @Test func parsesAShareOrAByteCount() throws {
        #expect(try VerifySample(parsing: "10%") == .percent(10))
        #expect(try VerifySample(parsing: "2GiB") == .bytes(2 << 30))
        #expect(try VerifySample(parsing: "500M") == .bytes(500 << 20))
        for bad in ["0%", "101%", "%", "lots", "0", "-5%"] {
            #expect(throws: VerifySampleError.self, "\(bad)") { try VerifySample(parsing: bad) }
        }
    }

    @Test func takesAPrefixReachingTheShareAndAtLeastOne() {
        let ten = copies(Array(repeating: 100, count: 10))
        #expect(VerifySample.percent(10).choose(from: ten).map(\.releaseId) == ["r0"])
        #expect(VerifySample.percent(25).choose(from: ten).count == 3)
        #expect(VerifySample.percent(1).choose(from: ten).count == 1)
        #expect(VerifySample.percent(100).choose(from: ten).count == 10)
        #expect(VerifySample.bytes(250).choose(from: ten).map(\.releaseId) == ["r0", "r1", "r2"])
        #expect(VerifySample.bytes(1).choose(from: ten).count == 1)
        #expect(VerifySample.bytes(1 << 40).choose(from: ten).count == 10)
        #expect(VerifySample.percent(50).choose(from: []).isEmpty)
    }
}
