import Foundation

/// The header of a NumPy `.npy` file: the magic, the format version and the Python dict literal
/// `{'descr': …, 'fortran_order': …, 'shape': (…), }` that describes the array.
///
/// The dict is parsed as the Python literal it is (quoted strings, `True`/`False`, a tuple of
/// integers), not searched for substrings, so a damaged header is reported instead of misread.
struct NPYHeader {
    /// The dtype string, e.g. `<f4`.
    let descr: String
    /// True when the data is stored column-major.
    let fortranOrder: Bool
    /// The dimensions.
    let shape: [Int]
    /// The offset of the first data byte from the start of the file.
    let dataOffset: Int

    /// Parses the header at the start of `data`; `fail` turns a reason into the error to throw.
    init(_ data: Data, fail: (String) -> Error) throws {
        let prefix = [UInt8](data.prefix(12))
        guard prefix.count >= 6, prefix[0] == 0x93, Array(prefix[1...5]) == Array("NUMPY".utf8) else {
            throw fail("it does not start with the \\x93NUMPY magic")
        }
        guard prefix.count >= 10 else { throw fail("the file ends inside its header (\(data.count) bytes)") }
        let (major, minor) = (prefix[6], prefix[7])
        let lengthBytes: Int
        switch (major, minor) {
        case (1, 0): lengthBytes = 2
        case (2, 0), (3, 0): lengthBytes = 4
        default: throw fail("format version \(major).\(minor) is not one of 1.0, 2.0, 3.0")
        }
        guard prefix.count >= 8 + lengthBytes else { throw fail("the file ends inside its header (\(data.count) bytes)") }
        let headerLength = prefix[8 ..< 8 + lengthBytes].reversed().reduce(0) { $0 << 8 | Int($1) }
        let headerStart = 8 + lengthBytes
        guard data.count >= headerStart + headerLength else {
            throw fail("the header claims \(headerLength) bytes but the file has only \(data.count - headerStart) after the magic")
        }
        let headerBytes = data.subdata(in: data.startIndex + headerStart ..< data.startIndex + headerStart + headerLength)
        guard let text = String(data: headerBytes, encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw fail("the header is not \(major == 3 ? "UTF-8" : "Latin-1") text")
        }
        var parser = DictLiteralParser(text: text)
        let fields: [String: DictLiteralParser.Value]
        do {
            fields = try parser.parseDict()
        } catch let error as DictLiteralParser.Failure {
            throw fail("the header is not a Python dict literal (\(error.reason)): \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let expected: Set<String> = ["descr", "fortran_order", "shape"]
        guard Set(fields.keys) == expected else {
            let missing = expected.subtracting(fields.keys).sorted(), extra = Set(fields.keys).subtracting(expected).sorted()
            let problems = (missing.isEmpty ? [] : ["lacks " + missing.joined(separator: ", ")]) + (extra.isEmpty ? [] : ["has unexpected keys " + extra.joined(separator: ", ")])
            throw fail("the header \(problems.joined(separator: " and ")); it must hold exactly descr, fortran_order and shape")
        }
        switch fields["descr"] {
        case .string(let value)?: descr = value
        case .list?: throw fail("its dtype is a structured (record) dtype; only plain numeric and bool arrays can be read")
        default: throw fail("descr in the header is not a dtype string")
        }
        guard case .bool(let fortran)? = fields["fortran_order"] else { throw fail("fortran_order in the header is not True or False") }
        fortranOrder = fortran
        guard case .tuple(let dims)? = fields["shape"] else { throw fail("shape in the header is not a tuple of integers") }
        guard dims.allSatisfy({ $0 >= 0 }) else { throw fail("shape \(Self.format(dims)) has a negative dimension") }
        shape = dims
        dataOffset = headerStart + headerLength
    }

    /// A shape as Python writes it: `(2, 3)`, `(4,)`, `()`.
    static func format(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}

/// Parses the subset of Python literals a `.npy` header uses: a dict with string keys whose values
/// are strings, `True`/`False`, integers, tuples of integers, or lists (structured dtypes, which are
/// recognised only to be refused).
private struct DictLiteralParser {
    enum Value {
        case string(String)
        case bool(Bool)
        case int(Int)
        case tuple([Int])
        case list
    }

    struct Failure: Error {
        let reason: String
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(text: String) {
        scalars = Array(text.unicodeScalars)
    }

    mutating func parseDict() throws -> [String: Value] {
        skipSpace()
        try expect("{")
        var fields: [String: Value] = [:]
        skipSpace()
        while peek() != "}" {
            let key = try parseString()
            skipSpace()
            try expect(":")
            skipSpace()
            guard fields.updateValue(try parseValue(), forKey: key) == nil else { throw Failure(reason: "key '\(key)' appears twice") }
            skipSpace()
            guard peek() == "," else { break }
            position += 1
            skipSpace()
        }
        try expect("}")
        skipSpace()
        guard position == scalars.count else { throw Failure(reason: "text follows the closing brace") }
        return fields
    }

    private mutating func parseValue() throws -> Value {
        switch peek() {
        case "'", "\"": return .string(try parseString())
        case "(": return .tuple(try parseTuple())
        case "[":
            try skipBalancedList()
            return .list
        case "T", "F":
            let word = parseWord()
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            default: throw Failure(reason: "unexpected '\(word)'")
            }
        default: return .int(try parseInt())
        }
    }

    private mutating func parseString() throws -> String {
        guard let quote = peek(), quote == "'" || quote == "\"" else { throw Failure(reason: "expected a quoted string at offset \(position)") }
        position += 1
        var value = String.UnicodeScalarView()
        while let scalar = peek(), scalar != quote {
            guard scalar != "\\", scalar != "\n" else { throw Failure(reason: "escapes and line breaks are not allowed in strings") }
            value.append(scalar)
            position += 1
        }
        try expect(quote)
        return String(value)
    }

    private mutating func parseTuple() throws -> [Int] {
        try expect("(")
        var items: [Int] = []
        skipSpace()
        while peek() != ")" {
            items.append(try parseInt())
            skipSpace()
            guard peek() == "," else {
                guard items.count > 1 || peek() != ")" else { throw Failure(reason: "a one-element tuple needs a trailing comma") }
                break
            }
            position += 1
            skipSpace()
        }
        try expect(")")
        return items
    }

    private mutating func parseInt() throws -> Int {
        let start = position
        if peek() == "-" || peek() == "+" { position += 1 }
        while let scalar = peek(), ("0"..."9").contains(scalar) { position += 1 }
        let digits = String(String.UnicodeScalarView(scalars[start..<position]))
        if peek() == "L" { position += 1 }  // Python 2 long literals, as old NumPy wrote them.
        guard let value = Int(digits) else {
            throw Failure(reason: digits.isEmpty ? "expected a value at offset \(start)" : "'\(digits)' is not an integer that fits in 64 bits")
        }
        return value
    }

    private mutating func parseWord() -> String {
        let start = position
        while let scalar = peek(), scalar.properties.isAlphabetic { position += 1 }
        return String(String.UnicodeScalarView(scalars[start..<position]))
    }

    private mutating func skipBalancedList() throws {
        var depth = 0
        repeat {
            guard let scalar = peek() else { throw Failure(reason: "an unclosed '['") }
            if scalar == "[" { depth += 1 } else if scalar == "]" { depth -= 1 }
            position += 1
        } while depth > 0
    }

    private mutating func expect(_ scalar: Unicode.Scalar) throws {
        guard peek() == scalar else {
            throw Failure(reason: peek().map { "expected '\(scalar)' at offset \(position), found '\($0)'" } ?? "expected '\(scalar)' but the header ends")
        }
        position += 1
    }

    private mutating func skipSpace() {
        while let scalar = peek(), scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { position += 1 }
    }

    private func peek() -> Unicode.Scalar? {
        position < scalars.count ? scalars[position] : nil
    }
}
