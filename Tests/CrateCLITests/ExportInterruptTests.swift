import CrateTestSupport
import Foundation
import Testing

/// Ctrl-C during `crate export`: the default SIGINT used to kill it mid-write, leaving hidden
/// `.crate-export-*` files in the user's folder.
@Suite struct ExportInterruptTests {
    @Test func ctrlCStopsAnExportAndLeavesNoPartialFile() async throws {
        let crate = try CrateProcess()
        defer { crate.removeHome() }
        let album = try crate.makeAlbum("Interrupted", files: 9, size: 8 << 20)
        let added = try await crate.run(["profile", "add", "home", "--local", crate.home + "/store", "--chunked"])
        #expect(added.status == 0, "\(added.stderr)")
        let imported = try await crate.run(["import", album])
        #expect(imported.status == 0, "\(imported.stderr)")
        let releases = try await crate.run(["releases", "--json"])
        let list = try JSONSerialization.jsonObject(with: Data(releases.stdout.utf8)) as? [[String: Any]] ?? []
        let id = try #require(list.first?["id"] as? String)

        let target = crate.home + "/restored"
        let running = try crate.start(["export", id, target])
        // Interrupt once the first file is being written (a temporary file exists). Watched from
        // a thread of its own: under the whole suite, a task on the cooperative pool could sleep
        // through the export.
        let pid = running.pid
        let writing = await offThePool { () -> Bool in
            for _ in 0..<60_000 {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
                if names.contains(where: { $0.hasPrefix(".crate-export-") }) {
                    kill(pid, SIGINT)
                    return true
                }
                usleep(500)
            }
            return false
        }
        #expect(writing, "the export never started writing")
        let result = await running.finished()
        #expect(result.status == 130, "\(result.stderr)")
        #expect(result.stderr.contains("interrupted; no partial file was left"), "\(result.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: target)
        #expect(!left.contains { $0.hasPrefix(".crate-export-") }, "\(left)")
        for name in left {
            let original = try Data(contentsOf: URL(fileURLWithPath: album + "/" + name))
            #expect(try Data(contentsOf: URL(fileURLWithPath: target + "/" + name)) == original, "\(name)")
        }
    }
}
