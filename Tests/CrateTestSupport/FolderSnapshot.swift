import Foundation

/// Every entry below `folder` — a file by its bytes, a link by its target, a folder by name — to
/// show that an operation left a folder exactly as it was. For small test folders.
public func folderSnapshot(_ folder: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let manager = FileManager.default
    guard let enumerator = manager.enumerator(atPath: folder) else { return [:] }
    while let relative = enumerator.nextObject() as? String {
        let path = folder + "/" + relative
        if let target = try? manager.destinationOfSymbolicLink(atPath: path) {
            result[relative] = Data(("link:" + target).utf8)
        } else if let data = manager.contents(atPath: path) {
            result[relative] = data
        } else {
            result[relative] = Data("folder".utf8)
        }
    }
    return result
}
