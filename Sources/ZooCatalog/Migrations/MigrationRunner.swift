/// Brings a catalog's schema up to date: runs each pending migration in its own transaction and records it.
///
/// A catalog that records a migration this binary does not know was written by a newer zoo and is refused,
/// as is a non-empty database that is not a zoo catalog.
public struct MigrationRunner: Sendable {
    /// The `application_id` every zoo catalog carries (set by the first migration).
    public static let applicationID: Int = 0x7A6F_6F61

    /// The known migrations, sorted by id.
    public let migrations: [Migration]

    /// Creates a runner over `migrations`; ids must be distinct.
    public init(migrations: [Migration] = Migration.shipped) {
        self.migrations = migrations.sorted { $0.id < $1.id }
        precondition(Set(migrations.map(\.id)).count == migrations.count, "duplicate migration ids")
    }

    /// Runs every migration not yet applied (up to and including `lastID`, if given).
    public func migrate(_ db: Database, upTo lastID: Int? = nil) throws {
        try checkOwnership(db)
        try db.execute("""
            CREATE TABLE IF NOT EXISTS zoo_migrations (
                id INTEGER PRIMARY KEY, name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))
            """)
        try refuseUnknown(applied: try appliedIDs(db), path: db.path)
        for migration in migrations where lastID.map({ migration.id <= $0 }) ?? true {
            try db.transaction {
                // Another process may have applied it while this one waited for the write lock.
                guard try db.row("SELECT 1 FROM zoo_migrations WHERE id = ?", [.int(migration.id)]) == nil else { return }
                try db.execute(migration.sql)
                try db.run("INSERT INTO zoo_migrations (id, name) VALUES (?, ?)", [.int(migration.id), .text(migration.name)])
            }
        }
    }

    /// The ids of the migrations recorded in `db`.
    public func appliedIDs(_ db: Database) throws -> [Int] {
        try db.rows("SELECT id FROM zoo_migrations ORDER BY id").compactMap { $0.int(0) }
    }

    private func checkOwnership(_ db: Database) throws {
        let appID = try db.row("PRAGMA application_id")?.int(0) ?? 0
        if appID == Self.applicationID { return }
        let tables = try db.row("SELECT count(*) FROM sqlite_master WHERE name != 'zoo_migrations'")?.int(0) ?? 0
        guard appID == 0 && tables == 0 else {
            throw CatalogError(
                .notACatalog,
                "\(db.path) is a SQLite database of another program, not a zoo catalog; point ZOO_HOME elsewhere or run `zoo catalog rebuild` to set it aside",
                cause: "application_id \(appID), \(tables) tables")
        }
    }

    private func refuseUnknown(applied: [Int], path: String) throws {
        let known = Set(migrations.map(\.id))
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            let newest = migrations.last.map { String(format: "%04d", $0.id) } ?? "none"
            throw CatalogError(
                .newerCatalog,
                "the catalog at \(path) was written by a newer zoo (migration \(unknown.map { String(format: "%04d", $0) }.joined(separator: ", ")); this zoo knows up to \(newest)); upgrade zoo, or run `zoo catalog rebuild` to start a new catalog")
        }
    }
}
