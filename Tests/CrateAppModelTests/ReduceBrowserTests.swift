import CrateAppModel
import Foundation
import Testing

@Suite("reduce: folder browser")
struct ReduceBrowserTests {
    static func listed(_ path: String, _ names: [String]) -> Action {
        .folderListed(path: path, entries: names.map { FolderEntry(name: $0, isDirectory: true, size: 0) })
    }

    /// `←` goes up with the cursor on the folder it came from, not back at the top.
    @Test func goingUpKeepsThePlace() {
        var state = State(folderPath: "/music")
        state.tab = .importer
        _ = reduce(&state, Self.listed("/music", ["A", "B", "C"]))
        press(&state, .down, .down)
        #expect(press(&state, .right) == [.listFolder(path: "/music/C")])
        _ = reduce(&state, Self.listed("/music/C", ["CD1", "CD2"]))
        #expect(state.folderCursor == 0)
        #expect(press(&state, .left) == [.listFolder(path: "/music")])
        _ = reduce(&state, Self.listed("/music", ["A", "B", "C"]))
        #expect(state.folderCursor == 2)
    }

    /// `g` takes a typed or pasted path; `~` is the home folder; a relative path is refused.
    @Test func goToATypedFolder() {
        var state = State(folderPath: "/music")
        state.tab = .importer
        press(&state, .character("g"))
        type(&state, "relative/path")
        #expect(press(&state, .enter).isEmpty)
        #expect(state.status?.isError == true)
        press(&state, .character("g"))
        type(&state, "~/Music/")
        #expect(press(&state, .enter) == [.listFolder(path: NSHomeDirectory() + "/Music")])
        press(&state, .character(":"))
        type(&state, "/srv/archive")
        #expect(press(&state, .enter) == [.listFolder(path: "/srv/archive")])
    }
}
