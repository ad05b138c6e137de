import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed XML element: just enough of a tree to read S3's small response documents
/// (list results, multipart responses, error bodies). Namespaces are ignored.
struct S3XMLNode: Sendable {
    var name: String
    var text: String
    var children: [S3XMLNode]

    /// The first child named `name`.
    func child(_ name: String) -> S3XMLNode? { children.first { $0.name == name } }

    /// Every child named `name`.
    func all(_ name: String) -> [S3XMLNode] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    func text(of name: String) -> String? { child(name)?.text }

    /// Parses a document; `nil` when it is not well-formed XML.
    static func parse(_ bytes: [UInt8]) -> S3XMLNode? {
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [S3XMLNode] = []
        var root: S3XMLNode?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            stack.append(S3XMLNode(name: elementName, text: "", children: []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
        ) {
            guard let node = stack.popLast() else { return }
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].children.append(node)
            }
        }
    }
}
