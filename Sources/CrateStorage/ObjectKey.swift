/// The object-key rules of the `ObjectStore` contract, in one place for every store.
public enum ObjectKey {
    /// Throws `StorageError.invalidKey` unless `key` is a `/`-separated relative path of
    /// printable UTF-8 with no empty, `.` or `..` segment.
    public static func validate(_ key: String) throws(StorageError) {
        guard !key.isEmpty, key.utf8.count <= 1024 else { throw .invalidKey(key) }
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty, segment != ".", segment != ".." else { throw .invalidKey(key) }
        }
        for scalar in key.unicodeScalars {
            // Control characters (C0, DEL, C1) would break listings, logs and S3 XML.
            guard scalar.value >= 0x20, !(0x7F...0x9F).contains(scalar.value) else { throw .invalidKey(key) }
        }
    }

    /// Whether `lhs` sorts before `rhs` by UTF-8 bytes (the order S3 lists keys in).
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
