import XCTest
import ZooCatalog
import ZooTestSupport

/// A `Database` keeps its prepared statements for reuse: a statement given back holds no read of the file, so
/// its next run sees other connections' writes, and the same text can run twice at once.
final class DatabaseTests: XCTestCase {
    func testKeptStatementsSeeOtherConnectionsWritesAndHoldNoReadLock() throws {
        let directory = TemporaryDirectory()
        let reader = try Database(path: directory.path("t.sqlite"))
        let writer = try Database(path: directory.path("t.sqlite"))
        try reader.execute("PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER)")
        try reader.run("INSERT INTO t VALUES (1)")
        XCTAssertEqual(try reader.row("SELECT max(v) FROM t")?.int(0), 1)

        try writer.run("INSERT INTO t VALUES (2)")
        let checkpoint = try XCTUnwrap(try writer.row("PRAGMA wal_checkpoint(TRUNCATE)"))
        XCTAssertEqual(checkpoint.int(0), 0, "a reader still holds the write-ahead log: a kept statement was not reset")
        XCTAssertEqual(try reader.row("SELECT max(v) FROM t")?.int(0), 2)

        let outer = try reader.statement("SELECT v FROM t ORDER BY v")
        XCTAssertTrue(try outer.step())
        XCTAssertEqual(try reader.rows("SELECT v FROM t ORDER BY v").compactMap { $0.int(0) }, [1, 2])
        XCTAssertEqual(outer.row.int(0), 1)
        XCTAssertTrue(try outer.step())
        XCTAssertEqual(outer.row.int(0), 2)
    }
}
