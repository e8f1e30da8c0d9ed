/// The part of GraphQL that SparseZoo clients send (research/sparsezoo.md §2.2): one anonymous query of fields,
/// each with optional arguments (`name: "value",` pairs, numbers, booleans) and a sub-selection. No variables,
/// fragments or directives; anything else is a syntax error with its position.
struct GraphQLDocument: Sendable {
    /// One requested field.
    struct Field: Sendable {
        var alias: String?
        var name: String
        var arguments: [(name: String, value: Value)]
        var selection: [Field]?

        /// The key the answer uses: the alias, else the name.
        var responseKey: String { alias ?? name }
    }

    /// An argument value.
    enum Value: Equatable, Sendable {
        case string(String)
        case int(Int)
        case float(Double)
        case bool(Bool)
        case null
        case enumValue(String)

        /// The value as text, as a filter compares it.
        var text: String {
            switch self {
            case .string(let s), .enumValue(let s): s
            case .int(let i): String(i)
            case .float(let d): String(d)
            case .bool(let b): String(b)
            case .null: "null"
            }
        }
    }

    /// The query's top-level fields.
    let fields: [Field]

    /// Parses `text`; throws a ``GraphQLSyntaxError`` naming the position.
    init(parsing text: String) throws {
        var parser = Parser(tokens: try Lexer.tokens(of: text))
        fields = try parser.document()
    }

    private struct Parser {
        let tokens: [Lexer.Token]
        var position = 0

        var current: Lexer.Token { tokens[position] }

        mutating func document() throws -> [Field] {
            if case .name(let keyword) = current.kind, keyword == "query" {
                position += 1
                if case .name = current.kind { position += 1 }
            }
            let fields = try selectionSet()
            guard case .end = current.kind else { throw error("expected the end of the query") }
            return fields
        }

        mutating func selectionSet() throws -> [Field] {
            try expect("{")
            var fields: [Field] = []
            while !isPunctuator("}") {
                fields.append(try field())
            }
            try expect("}")
            guard !fields.isEmpty else { throw error("a selection needs at least one field") }
            return fields
        }

        mutating func field() throws -> Field {
            var name = try self.name()
            var alias: String?
            if isPunctuator(":") {
                position += 1
                alias = name
                name = try self.name()
            }
            var arguments: [(String, Value)] = []
            if isPunctuator("(") {
                position += 1
                while !isPunctuator(")") {
                    let argument = try self.name()
                    try expect(":")
                    arguments.append((argument, try value()))
                }
                try expect(")")
            }
            let selection = isPunctuator("{") ? try selectionSet() : nil
            return Field(alias: alias, name: name, arguments: arguments, selection: selection)
        }

        mutating func value() throws -> Value {
            let value: Value
            switch current.kind {
            case .string(let text): value = .string(text)
            case .int(let number): value = .int(number)
            case .float(let number): value = .float(number)
            case .name("true"): value = .bool(true)
            case .name("false"): value = .bool(false)
            case .name("null"): value = .null
            case .name(let other): value = .enumValue(other)
            default: throw error("expected a value")
            }
            position += 1
            return value
        }

        mutating func name() throws -> String {
            guard case .name(let name) = current.kind else { throw error("expected a field or argument name") }
            position += 1
            return name
        }

        mutating func expect(_ punctuator: Character) throws {
            guard isPunctuator(punctuator) else { throw error("expected '\(punctuator)'") }
            position += 1
        }

        func isPunctuator(_ punctuator: Character) -> Bool {
            if case .punctuator(let found) = current.kind { return found == punctuator }
            return false
        }

        func error(_ expected: String) -> GraphQLSyntaxError {
            GraphQLSyntaxError(message: "Syntax Error: \(expected), found \(current.kind.description)", offset: current.offset)
        }
    }
}

/// A query that does not parse: the message and the character offset where it went wrong.
struct GraphQLSyntaxError: Error {
    let message: String
    let offset: Int
}
