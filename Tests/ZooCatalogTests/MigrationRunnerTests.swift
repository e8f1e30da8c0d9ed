import Foundation
import XCTest
import ZooTestSupport
@testable import ZooCatalog

/// Migrations run in order, once, each in a transaction; newer and foreign catalogs are refused.
final class MigrationRunnerTests: XCTestCase {
    private let directory = TemporaryDirectory()

    func testFreshCatalogRecordsEveryShippedMigrationAndUsesWAL() throws {
        let catalog = try Catalog(path: directory.path("c.sqlite"))
        XCTAssertEqual(try MigrationRunner().appliedIDs(catalog.database), Migration.shipped.map(\.id))
        XCTAssertEqual(try catalog.database.row("PRAGMA journal_mode")?.text(0), "wal")
        XCTAssertEqual(try catalog.database.row("PRAGMA application_id")?.int(0), MigrationRunner.applicationID)
    }

    func testReopeningAppliesNothingTwice() throws {
        let path = directory.path("c.sqlite")
        _ = try Catalog(path: path)
        let again = try Catalog(path: path)
        XCTAssertEqual(try again.database.row("SELECT count(*) FROM zoo_migrations")?.int(0), Migration.shipped.count)
    }

    func testEmbeddedMigrationsMatchTheMigrationsFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../migrations").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        XCTAssertEqual(Migration.shipped.map(\.fileName), files)
        for migration in Migration.shipped {
            let onDisk = try String(contentsOf: folder.appendingPathComponent(migration.fileName), encoding: .utf8)
            XCTAssertEqual(migration.sql, onDisk, "\(migration.fileName) is embedded stale")
        }
    }

    func testMigrationsRunInOrderUpToALimit() throws {
        let db = try Database(path: directory.path("m.sqlite"))
        let runner = MigrationRunner(migrations: [
            try Migration(fileName: "0002_second.sql", sql: "ALTER TABLE t ADD COLUMN b;"),
            try Migration(fileName: "0001_first.sql", sql: "PRAGMA application_id = \(MigrationRunner.applicationID); CREATE TABLE t (a);"),
        ])
        try runner.migrate(db, upTo: 1)
        XCTAssertEqual(try runner.appliedIDs(db), [1])
        try runner.migrate(db)
        XCTAssertEqual(try runner.appliedIDs(db), [1, 2])
        XCTAssertNoThrow(try db.run("INSERT INTO t (a, b) VALUES (1, 2)"))
    }

    func testAFailingMigrationLeavesNothingHalfDone() throws {
        let db = try Database(path: directory.path("m.sqlite"))
        let runner = MigrationRunner(migrations: [
            try Migration(fileName: "0001_first.sql", sql: "PRAGMA application_id = \(MigrationRunner.applicationID); CREATE TABLE t (a);"),
            try Migration(fileName: "0002_broken.sql", sql: "CREATE TABLE u (a); THIS IS NOT SQL;"),
        ])
        XCTAssertThrowsError(try runner.migrate(db))
        XCTAssertEqual(try runner.appliedIDs(db), [1])
        XCTAssertNil(try db.row("SELECT name FROM sqlite_master WHERE name = 'u'"))
    }

    func testCatalogFromANewerZooIsRefused() throws {
        let path = directory.path("c.sqlite")
        let catalog = try Catalog(path: path)
        try catalog.database.run("INSERT INTO zoo_migrations (id, name) VALUES (9999, 'future')")
        XCTAssertThrowsError(try Catalog(path: path)) { error in
            let error = error as? CatalogError
            XCTAssertEqual(error?.code, .newerCatalog)
            XCTAssertTrue(error?.message.contains("newer zoo (migration 9999") ?? false, error?.message ?? "")
            XCTAssertTrue(error?.message.contains("zoo catalog rebuild") ?? false)
        }
    }

    func testForeignSQLiteDatabaseIsRefusedAndLeftAlone() throws {
        let path = directory.path("foreign.sqlite")
        do {
            let db = try Database(path: path)
            try db.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY); INSERT INTO photos VALUES (1);")
        }
        XCTAssertThrowsError(try Catalog(path: path)) { error in
            XCTAssertEqual((error as? CatalogError)?.code, .notACatalog)
        }
        XCTAssertEqual(try Database(path: path).row("SELECT count(*) FROM photos")?.int(0), 1)
        XCTAssertNil(try Database(path: path).row("SELECT name FROM sqlite_master WHERE name = 'zoo_migrations'"))
    }

    func testGarbageFileIsReportedAsNotACatalog() throws {
        let path = directory.path("garbage.sqlite")
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Catalog(path: path)) { error in
            let error = error as? CatalogError
            XCTAssertEqual(error?.code, .notACatalog)
            XCTAssertTrue(error?.message.contains("zoo catalog rebuild") ?? false)
        }
    }

    func testRebuildSetsTheOldFileAsideAndStartsAnew() throws {
        let home = ZooHome(url: directory.url)
        try Data("not a database at all, just text".utf8).write(to: URL(fileURLWithPath: home.catalogPath))
        XCTAssertThrowsError(try Catalog.open(home: home))
        let aside = try XCTUnwrap(try CatalogRebuild.setAside(home: home))
        XCTAssertEqual(try String(contentsOfFile: aside, encoding: .utf8), "not a database at all, just text")
        XCTAssertGreaterThan(try Catalog.open(home: home).modelCount(), 100)
    }

    func testBadMigrationFileNames() {
        for name in ["1_x.sql", "0001.sql", "0001_.sql", "abcd_x.sql", "0001_x.txt"] {
            XCTAssertThrowsError(try Migration(fileName: name, sql: ""), name)
        }
    }
}
