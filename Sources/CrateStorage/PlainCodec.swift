/// The identity codec: objects hold the plaintext as it is.
public struct PlainCodec: ObjectCodec {
    public init() {}

    public var isSealed: Bool { false }

    public func storedSize(plaintextSize: Int64) -> Int64 { plaintextSize }

    public func encode(_ plaintext: any ByteReader, objectName: String) -> any ByteReader { plaintext }

    public func decode(from store: any ObjectStore, key: String, range: Range<Int64>?, plaintextSize: Int64?)
        async throws -> any ByteReader
    {
        let reader = try await store.get(key, range: range)
        guard let plaintextSize else { return reader }
        let expected =
            range.map { max(0, min($0.upperBound, plaintextSize) - $0.lowerBound) } ?? plaintextSize
        return ExactLengthReader(reader, key: key, expected: expected)
    }
}
