/// Left-aligned text columns separated by two spaces, for listings on a terminal.
struct TextTable {
    private let columns: [String]
    private var rows: [[String]] = []

    init(columns: [String]) { self.columns = columns }

    mutating func append(_ row: [String]) { rows.append(row) }

    var rendered: String {
        let all = [columns] + rows
        let widths = columns.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[i] - cell.count))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// `key  value` lines with the keys aligned, skipping empty values.
struct FieldList {
    private var pairs: [(String, String)] = []

    mutating func add(_ key: String, _ value: String?) {
        if let value, !value.isEmpty { pairs.append((key, value)) }
    }

    var rendered: String {
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}
