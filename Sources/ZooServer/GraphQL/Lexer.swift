/// GraphQL's tokens: punctuators, names, numbers and strings; white space, commas (insignificant in GraphQL)
/// and `#` comments are dropped.
enum Lexer {
    struct Token {
        enum Kind: CustomStringConvertible {
            case punctuator(Character)
            case name(String)
            case int(Int)
            case float(Double)
            case string(String)
            case end

            var description: String {
                switch self {
                case .punctuator(let c): "'\(c)'"
                case .name(let n): "name \"\(n)\""
                case .int(let i): "number \(i)"
                case .float(let d): "number \(d)"
                case .string(let s): "string \"\(s)\""
                case .end: "the end of the query"
                }
            }
        }

        var kind: Kind
        var offset: Int
    }

    static func tokens(of text: String) throws -> [Token] {
        let characters = Array(text)
        var tokens: [Token] = []
        var i = 0
        func isNameCharacter(_ c: Character) -> Bool { c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) }
        while i < characters.count {
            let c = characters[i]
            if c.isWhitespace || c == "," || c == "\u{FEFF}" {
                i += 1
            } else if c == "#" {
                while i < characters.count && !characters[i].isNewline { i += 1 }
            } else if "{}():[]!$@=|".contains(c) {
                tokens.append(Token(kind: .punctuator(c), offset: i))
                i += 1
            } else if c == "_" || (c.isASCII && c.isLetter) {
                let start = i
                while i < characters.count && isNameCharacter(characters[i]) { i += 1 }
                tokens.append(Token(kind: .name(String(characters[start..<i])), offset: start))
            } else if c == "-" || (c.isASCII && c.isNumber) {
                let start = i
                i += 1
                while i < characters.count && ((characters[i].isASCII && characters[i].isNumber) || ".eE+-".contains(characters[i])) { i += 1 }
                let literal = String(characters[start..<i])
                if let number = Int(literal) {
                    tokens.append(Token(kind: .int(number), offset: start))
                } else if let number = Double(literal) {
                    tokens.append(Token(kind: .float(number), offset: start))
                } else {
                    throw GraphQLSyntaxError(message: "Syntax Error: invalid number \(literal)", offset: start)
                }
            } else if c == "\"" {
                let (value, end) = try string(characters, from: i)
                tokens.append(Token(kind: .string(value), offset: i))
                i = end
            } else {
                throw GraphQLSyntaxError(message: "Syntax Error: unexpected character \"\(c)\"", offset: i)
            }
        }
        tokens.append(Token(kind: .end, offset: characters.count))
        return tokens
    }

    /// The string literal opening at `start`, with its escapes resolved, and the offset after it.
    private static func string(_ characters: [Character], from start: Int) throws -> (String, Int) {
        var i = start + 1
        var value = ""
        while true {
            guard i < characters.count, !characters[i].isNewline else {
                throw GraphQLSyntaxError(message: "Syntax Error: unterminated string", offset: start)
            }
            let c = characters[i]
            i += 1
            if c == "\"" { return (value, i) }
            guard c == "\\", i < characters.count else {
                value.append(c)
                continue
            }
            let escaped = characters[i]
            i += 1
            switch escaped {
            case "n": value.append("\n")
            case "t": value.append("\t")
            case "r": value.append("\r")
            case "b": value.append("\u{8}")
            case "f": value.append("\u{C}")
            case "u":
                guard i + 4 <= characters.count, let code = UInt32(String(characters[i..<i + 4]), radix: 16),
                      let scalar = Unicode.Scalar(code)
                else { throw GraphQLSyntaxError(message: "Syntax Error: invalid \\u escape", offset: i) }
                value.unicodeScalars.append(scalar)
                i += 4
            default: value.append(escaped)
            }
        }
    }
}
