/// A position in a stub being parsed, counted in Unicode scalars, with the helpers the grammar needs.
struct StubCursor {
    private let input: String
    private let scalars: [Unicode.Scalar]
    private var index = 0
    /// The separator consumed by the last ``segment(_:then:)``, or `nil` when it ended the body.
    private(set) var last: Unicode.Scalar?

    init(text: String) {
        input = text
        scalars = Array(text.unicodeScalars)
    }

    var isAtEnd: Bool { index >= scalars.count }
    var peek: Unicode.Scalar? { isAtEnd ? nil : scalars[index] }
    /// The 1-based column of the next character.
    var column: Int { index + 1 }

    static func isSegmentCharacter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_": return true
        default: return false
        }
    }

    static func isValueCharacter(_ c: Unicode.Scalar) -> Bool { isSegmentCharacter(c) || c == "-" }

    /// Whether `c` occurs before the query (or the end).
    func restOfBodyContains(_ c: Unicode.Scalar) -> Bool {
        scalars[index...].prefix { $0 != "?" }.contains(c)
    }

    /// Consumes `text` if the input continues with it.
    mutating func consume(_ text: String) -> Bool {
        guard scalars[index...].starts(with: text.unicodeScalars) else { return false }
        index += text.unicodeScalars.count
        return true
    }

    /// Consumes the longest run of characters satisfying `predicate`. A run of ASCII characters (those of segments
    /// and values, which is what the grammar reads) is copied as bytes rather than appended scalar by scalar.
    mutating func run(while predicate: (Unicode.Scalar) -> Bool) -> String {
        let start = index
        while index < scalars.count, predicate(scalars[index]) { index += 1 }
        let run = scalars[start..<index]
        guard run.allSatisfy(\.isASCII) else {
            var text = String.UnicodeScalarView()
            text.append(contentsOf: run)
            return String(text)
        }
        return String(unsafeUninitializedCapacity: run.count) { bytes in
            for (offset, scalar) in run.enumerated() { bytes[offset] = UInt8(truncatingIfNeeded: scalar.value) }
            return run.count
        }
    }

    /// Reads one non-empty segment of `field`, then one of `separators`, where `nil` stands for the end
    /// of the body (end of input or the `?` of the query); records which one in ``last``.
    mutating func segment(_ field: String, then separators: [Unicode.Scalar?]) throws -> String {
        let text = run(while: Self.isSegmentCharacter)
        let atBodyEnd = isAtEnd || peek == "?"
        if text.isEmpty {
            throw error(field: field, expected: "the \(field): a letter, digit, '.' or '_'")
        }
        if atBodyEnd, separators.contains(where: { $0 == nil }) {
            last = nil
            return text
        }
        if let next = peek, !atBodyEnd, separators.contains(next) {
            index += 1
            last = next
            return text
        }
        let options = separators.map { $0.map { "'\($0)'" } ?? "end of stub" }
        throw error(field: field, expected: "a letter, digit, '.' or '_', or " + Self.list(options))
    }

    /// An error at the current column describing the character found there.
    func error(field: String?, expected: String) -> StubError {
        error(at: column, field: field, found: foundDescription, expected: expected)
    }

    func error(at column: Int, field: String?, found: String, expected: String) -> StubError {
        StubError(input: input, column: column, field: field, found: found, expected: expected)
    }

    private var foundDescription: String {
        guard let c = peek else { return "end of stub" }
        return c.isPrintableASCII ? "'\(Character(c))'" : "U+\(String(c.value, radix: 16, uppercase: true))"
    }

    private static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + items.last!
    }
}
