/// A value bound to, or read from, a SQLite statement.
public enum SQLValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// `.text`, or `.null` for `nil`.
    public static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
    /// `.integer`, or `.null` for `nil`.
    public static func optional(_ value: Int?) -> SQLValue { value.map { .integer(Int64($0)) } ?? .null }
    /// `.real`, or `.null` for `nil`.
    public static func optional(_ value: Double?) -> SQLValue { value.map(SQLValue.real) ?? .null }
    /// `.integer(1)` or `.integer(0)`.
    public static func bool(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }
    /// `.integer` from a Swift `Int`.
    public static func int(_ value: Int) -> SQLValue { .integer(Int64(value)) }
}
