import CSQLite

/// A prepared statement: bind, step, read the current row. When released it is reset (ending its read) and
/// given back to its ``Database`` for reuse.
public final class Statement {
    private let handle: OpaquePointer
    private let database: Database
    private let sql: String

    init(handle: OpaquePointer, database: Database, sql: String) {
        self.handle = handle
        self.database = database
        self.sql = sql
    }

    deinit {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        database.giveBack(handle, sql: sql)
    }

    func bind(_ arguments: [SQLValue]) throws {
        for (offset, value) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(let v): rc = sqlite3_bind_text(handle, index, v, -1, CSQLite_transient())
            }
            guard rc == SQLITE_OK else { throw database.failure(rc, detail: database.lastErrorMessage, sql: sql) }
        }
    }

    /// Advances to the next row; `false` when the statement is done.
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: throw database.failure(rc, detail: database.lastErrorMessage, sql: sql)
        }
    }

    /// Clears bindings and rewinds, to run the statement again with new arguments.
    public func reset(_ arguments: [SQLValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        try bind(arguments)
    }

    /// The current row's values.
    public var row: Row {
        let count = sqlite3_column_count(handle)
        var values: [SQLValue] = []
        values.reserveCapacity(Int(count))
        for column in 0..<count {
            switch sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(handle, column)))
            case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(handle, column)))
            case SQLITE_NULL: values.append(.null)
            default: values.append(.text(String(cString: sqlite3_column_text(handle, column))))
            }
        }
        return Row(values: values)
    }
}

/// One result row, read by column position in the order the query selected.
public struct Row: Sendable {
    /// The values, in select order.
    public var values: [SQLValue]

    /// The text at `index`, or `nil` for NULL.
    public func text(_ index: Int) -> String? {
        switch values[index] {
        case .text(let v): return v
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .null: return nil
        }
    }

    /// The integer at `index`, or `nil` for NULL.
    public func int(_ index: Int) -> Int? {
        switch values[index] {
        case .integer(let v): return Int(v)
        case .real(let v): return Int(v)
        case .text(let v): return Int(v)
        case .null: return nil
        }
    }

    /// The number at `index`, or `nil` for NULL.
    public func double(_ index: Int) -> Double? {
        switch values[index] {
        case .integer(let v): return Double(v)
        case .real(let v): return v
        case .text(let v): return Double(v)
        case .null: return nil
        }
    }

    /// Whether the integer at `index` is non-zero.
    public func bool(_ index: Int) -> Bool { (int(index) ?? 0) != 0 }
}
