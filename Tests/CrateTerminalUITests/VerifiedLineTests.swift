import CrateAppModel
import Foundation
import Testing

@testable import CrateTerminalUI

/// The release detail's "Verified:" line (issue #20).
@Suite struct VerifiedLineTests {
    let date = Date(timeIntervalSince1970: 1_700_000_000)

    func detail(_ verifications: [ReleaseDetail.Verification]) -> ReleaseDetail {
        ReleaseDetail(id: "r", artist: "A", title: "T", files: [], copies: [], verifications: verifications)
    }

    @Test func saysNeverOkOrFailed() {
        let when = Format.dateTime(date)
        #expect(verifiedLines(detail([])).map(\.text) == ["Verified: never"])
        let ok = verifiedLines(detail([.init(profile: "home", date: date, result: "ok")]))
        #expect(ok.map(\.text) == ["Verified: \(when) ok"])
        #expect(ok.first?.style == .dim)
        let failed = verifiedLines(detail([.init(profile: "home", date: date, result: "1 problem: 01.flac: damaged")]))
        #expect(failed.map(\.text) == ["Verified: \(when) FAILED (1 problem: 01.flac: damaged)"])
        #expect(failed.first?.style == .error)
    }

    @Test func namesTheProfileWhenThereAreSeveralCopies() {
        let lines = verifiedLines(
            detail([.init(profile: "home", date: date, result: "ok"), .init(profile: "cloud", date: nil, result: nil)]))
        #expect(lines.map(\.text) == ["Verified on home: \(Format.dateTime(date)) ok", "Verified on cloud: never"])
    }
}
