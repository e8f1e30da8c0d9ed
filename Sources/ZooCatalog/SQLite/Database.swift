import CSQLite
import Foundation

/// One SQLite connection: opening, statements, transactions. Not shared between threads.
///
/// Statements are prepared once per SQL text and kept: a statement given back (when its ``Statement`` is
/// released) is reset and reused by the next query with the same text, which saves SQLite's parser and planner
/// on every repeated query (most of the cost of a small lookup).
public final class Database {
    private let handle: OpaquePointer
    /// The file the connection is open on.
    public let path: String
    /// Prepared statements not in use, by SQL text.
    private var prepared: [String: OpaquePointer] = [:]
    /// At most this many are kept; queries built with varying text are prepared afresh beyond it.
    private static let preparedLimit = 64

    /// Opens (creating if needed) the database at `path`, waiting up to `busyTimeout` for other writers.
    public init(path: String, busyTimeout: Duration = .seconds(10)) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let detail = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw CatalogError(.sqlite, "cannot open the catalog at \(path)", cause: "SQLite error \(rc): \(detail)")
        }
        handle = db
        self.path = path
        let millis = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(db, Int32(clamping: millis))
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        for statement in prepared.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let detail = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw failure(rc, detail: detail, sql: sql)
        }
    }

    /// Prepares `sql` (or reuses the statement kept for it) with `arguments` bound in order. The statement is the
    /// caller's until released; then it is reset and kept for the next query with the same text.
    public func statement(_ sql: String, _ arguments: [SQLValue] = []) throws -> Statement {
        let raw: OpaquePointer
        if let kept = prepared.removeValue(forKey: sql) {
            raw = kept
        } else {
            var fresh: OpaquePointer?
            let rc = sqlite3_prepare_v2(handle, sql, -1, &fresh, nil)
            guard rc == SQLITE_OK, let fresh else { throw failure(rc, detail: lastErrorMessage, sql: sql) }
            raw = fresh
        }
        let statement = Statement(handle: raw, database: self, sql: sql)
        try statement.bind(arguments)
        return statement
    }

    /// Takes back a released statement, already reset: kept for reuse, or finalized when one is kept already.
    func giveBack(_ statement: OpaquePointer, sql: String) {
        if prepared[sql] == nil && prepared.count < Self.preparedLimit {
            prepared[sql] = statement
        } else {
            sqlite3_finalize(statement)
        }
    }

    /// Runs a statement that returns no rows.
    public func run(_ sql: String, _ arguments: [SQLValue] = []) throws {
        let statement = try statement(sql, arguments)
        while try statement.step() {}
    }

    /// All rows of a query.
    public func rows(_ sql: String, _ arguments: [SQLValue] = []) throws -> [Row] {
        let statement = try statement(sql, arguments)
        var rows: [Row] = []
        while try statement.step() { rows.append(statement.row) }
        return rows
    }

    /// The first row of a query, if any.
    public func row(_ sql: String, _ arguments: [SQLValue] = []) throws -> Row? {
        let statement = try statement(sql, arguments)
        return try statement.step() ? statement.row : nil
    }

    /// Runs `body`, which only reads, in one read transaction: its queries see one snapshot of the catalog, and
    /// the file's locks are taken once rather than once per query.
    public func read<T>(_ body: () throws -> T) throws -> T {
        try run("BEGIN")
        defer { try? run("COMMIT") }
        return try body()
    }

    /// Runs `body` in an immediate transaction: committed if it returns, rolled back if it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The rowid of the last inserted row.
    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The number of rows the last statement changed.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    func failure(_ rc: Int32, detail: String, sql: String) -> CatalogError {
        let primary = rc & 0xFF
        if primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT {
            return CatalogError(
                .notACatalog,
                "\(path) is corrupt or not a SQLite database; run `zoo catalog rebuild` to set it aside and start a new catalog",
                cause: "SQLite error \(rc): \(detail)")
        }
        if primary == SQLITE_BUSY || primary == SQLITE_LOCKED {
            return CatalogError(.busy, "the catalog at \(path) is locked by another zoo process; try again", cause: "SQLite error \(rc): \(detail) - while executing `\(sql)`")
        }
        return CatalogError(.sqlite, "the catalog at \(path) failed a query", cause: "SQLite error \(rc): \(detail) - while executing `\(sql)`")
    }
}
