/// Why a string is not a valid stub: where (a 1-based character column and the stub field being read),
/// what was found there and what was expected.
public struct StubError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text that failed to parse.
    public var input: String
    /// The 1-based column (in characters) of the offending character, or one past the end.
    public var column: Int
    /// The stub field being read there (`sub_domain`, `sparse_tag`, `query`), if any.
    public var field: String?
    /// What was found: a quoted character, or `end of stub`.
    public var found: String
    /// What the grammar expected at that column.
    public var expected: String

    /// Creates an error for `input` at `column`.
    public init(input: String, column: Int, field: String?, found: String, expected: String) {
        self.input = input
        self.column = column
        self.field = field
        self.found = found
        self.expected = expected
    }

    /// One line: `invalid stub at column 12 (architecture): found ' ', expected …`.
    public var summary: String {
        let place = field.map { "column \(column) (\($0))" } ?? "column \(column)"
        return "invalid stub at \(place): found \(found), expected \(expected)"
    }

    /// The summary, then the stub with a caret under the column.
    public var description: String {
        let shown = input.unicodeScalars.map { $0.isPrintableASCII ? Character($0) : "?" }
        let pointer = String(repeating: " ", count: max(0, column - 1)) + "^"
        return "\(summary)\n  \(String(shown))\n  \(pointer)"
    }
}

extension Unicode.Scalar {
    var isPrintableASCII: Bool { value >= 0x20 && value < 0x7F }
}
