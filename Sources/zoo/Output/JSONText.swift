/// JSON written by hand for listings that may hold tens of thousands of records, where JSONEncoder alone
/// would take longer than the whole command should (`zoo ls --json` over 10,000 models).
struct JSONText {
    private(set) var text = ""
    private var first = true

    /// Starts an object; call `field` for each key in sorted order, then `end`.
    mutating func begin() {
        text += "{"
        first = true
    }

    mutating func end() { text += "}" }

    mutating func field(_ key: String, _ value: String) { name(key); append(string: value) }
    mutating func field(_ key: String, _ value: Int64) { name(key); text += String(value) }
    mutating func field(_ key: String, _ value: Int) { name(key); text += String(value) }
    mutating func field(_ key: String, _ value: Int?) { name(key); text += value.map(String.init) ?? "null" }
    mutating func field(_ key: String, _ value: Bool) { name(key); text += value ? "true" : "false" }
    mutating func field(_ key: String, _ value: Double) { name(key); text += value.isFinite ? "\(value)" : "null" }

    private mutating func name(_ key: String) {
        if !first { text += ", " }
        first = false
        append(string: key)
        text += ": "
    }

    private mutating func append(string: String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20: text += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// `records` as a JSON array, one record per line.
    static func array<T>(_ records: [T], _ write: (inout JSONText, T) -> Void) -> String {
        guard !records.isEmpty else { return "[]" }
        var lines: [String] = []
        lines.reserveCapacity(records.count)
        for record in records {
            var json = JSONText()
            write(&json, record)
            lines.append("  " + json.text)
        }
        return "[\n" + lines.joined(separator: ",\n") + "\n]"
    }
}
