import CZooResources
import Foundation
import ZooDigest

/// The SQLite catalog of models: opened in WAL mode, migrated, and kept in step with the shipped `stubs.json`.
///
/// One `Catalog` is one connection; open one per thread or process. Many processes may share the file.
public final class Catalog {
    /// The connection.
    public let database: Database

    /// The name the shipped catalog is recorded under in `catalog_sources`.
    public static let shippedSourceName = "shipped"

    /// Opens (creating if needed) the catalog at `path` and brings its schema up to date.
    public init(path: String, migrations: MigrationRunner = MigrationRunner()) throws {
        database = try Database(path: path)
        try Self.enableWriteAheadLog(database)
        try database.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
        try migrations.migrate(database)
    }

    /// Switches a new catalog to WAL mode. The switch needs the file to itself and SQLite does not wait for it
    /// (no busy handler), so when several processes open a new home at once the losers retry for a while.
    private static func enableWriteAheadLog(_ database: Database) throws {
        var attempt = 0
        while true {
            do {
                if try database.row("PRAGMA journal_mode")?.text(0)?.lowercased() == "wal" { return }
                try database.execute("PRAGMA journal_mode = WAL")
                return
            } catch let error as CatalogError where error.code == .busy && attempt < 200 {
                attempt += 1
                usleep(25_000)
            }
        }
    }

    /// Opens the catalog of `home`, importing the shipped catalog if it is new or has changed.
    public static func open(home: ZooHome) throws -> Catalog {
        try home.create()
        let catalog = try Catalog(path: home.catalogPath)
        try catalog.importShippedCatalogIfChanged()
        return catalog
    }

    /// The `stubs.json` compiled into this binary.
    public static var shippedCatalogData: Data {
        let file = CZooResources_shippedCatalog
        return Data(bytes: file.bytes, count: file.size)
    }

    /// Imports the shipped catalog unless the same bytes were imported before; returns the report if it ran.
    @discardableResult
    public func importShippedCatalogIfChanged() throws -> ImportReport? {
        let report = try importCatalog(data: Self.shippedCatalogData, source: Self.shippedSourceName)
        return report.unchanged ? nil : report
    }

    /// Imports a catalog file's models under `source`. Unchanged bytes are skipped unless `force`;
    /// a wrong entry is reported by index and the rest are imported. With `merging`, models the source listed
    /// before and this file does not are kept (a registry answering one model at a time); otherwise they are removed.
    public func importCatalog(data: Data, source: String, force: Bool = false, merging: Bool = false) throws -> ImportReport {
        let digest = SHA256.hex(of: data)
        if !force, !merging, try database.row(
            "SELECT 1 FROM catalog_sources WHERE name = ? AND sha256 = ?", [.text(source), .text(digest)]) != nil
        {
            return ImportReport(source: source, unchanged: true)
        }
        let file = try CatalogFile.decode(data, source: source == Self.shippedSourceName ? "the shipped stubs.json" : source)
        let report = try database.transaction {
            var importer = CatalogImporter(database: database, source: source, removingUnlisted: !merging)
            let report = try importer.run(file)
            try database.run(
                "INSERT INTO catalog_sources (name, sha256, models) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256, models = excluded.models, imported_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                [.text(source), .text(digest), .int(report.imported)])
            return report
        }
        // An import is one large transaction; fold its WAL into the file so later readers need not scan it.
        try? database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return report
    }

    /// The catalog files imported so far.
    public func sources() throws -> [CatalogSource] {
        try database.rows("SELECT name, sha256, models, imported_at FROM catalog_sources ORDER BY name").map {
            CatalogSource(name: $0.text(0) ?? "", sha256: $0.text(1) ?? "", models: $0.int(2) ?? 0, importedAt: $0.text(3) ?? "")
        }
    }

    /// The number of models in the catalog.
    public func modelCount() throws -> Int {
        try database.row("SELECT count(*) FROM models")?.int(0) ?? 0
    }
}

/// A catalog file that has been imported, as `zoo catalog ls` shows it.
public struct CatalogSource: Sendable, Encodable {
    public var name: String
    public var sha256: String
    public var models: Int
    public var importedAt: String

    private enum CodingKeys: String, CodingKey { case name, sha256, models, importedAt = "imported_at" }
}
