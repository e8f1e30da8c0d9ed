import CZooResources

/// One schema change, read from `migrations/NNNN_name.sql`. Never edited once shipped.
public struct Migration: Sendable, Hashable {
    /// The number the file name starts with; migrations run in increasing order.
    public var id: Int
    /// The file name without number and extension: `initial`.
    public var name: String
    /// The statements to run, in one transaction.
    public var sql: String

    /// Creates a migration from a file name of the form `NNNN_name.sql` and its contents.
    public init(fileName: String, sql: String) throws {
        let stem = fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : ""
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 4, let id = Int(parts[0]), !parts[1].isEmpty else {
            throw CatalogError(.invalidInput, "migration file '\(fileName)' is not named NNNN_name.sql")
        }
        self.id = id
        self.name = String(parts[1])
        self.sql = sql
    }

    /// The file name this migration came from.
    public var fileName: String { String(format: "%04d_%@.sql", id, name) }

    /// The migrations compiled into this binary from `migrations/`, in order.
    public static let shipped: [Migration] = (0..<CZooResources_migrationCount).map { index in
        let file = CZooResources_migration(index)!.pointee
        let sql = String(decoding: UnsafeBufferPointer(start: file.bytes, count: file.size), as: UTF8.self)
        // The embedded table is written by hand; a bad name there is a build mistake caught by the tests.
        return try! Migration(fileName: String(cString: file.name), sql: sql)
    }
}
