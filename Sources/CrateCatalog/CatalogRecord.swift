import GRDB

/// Every catalog record is a `Codable` struct whose properties map to snake_case columns.
public protocol CatalogRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {}

extension CatalogRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}
