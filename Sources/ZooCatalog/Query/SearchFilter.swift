/// What `zoo search` filters on; every field left `nil` matches everything.
public struct SearchFilter: Sendable {
    /// Text that must occur in a stub, repoName, namespace or display name (case-insensitive).
    public var text: String?
    /// `cv`, `nlp`, `nlg`.
    public var domain: String?
    /// The sub-domain: `classification`, `question_answering`.
    public var task: String?
    /// The architecture: `resnet_v1`, `bert`.
    public var architecture: String?
    /// A data set, matched whole or as the first word of a combined name (`squad` matches `squad_wikipedia_bookcorpus`).
    public var dataset: String?
    /// Only models whose stated sparsity is at least this percentage.
    public var minimumSparsity: Int?
    /// Only quantized (`true`) or only unquantized (`false`) models.
    public var quantized: Bool?
    /// At most this many results.
    public var limit: Int?

    /// A filter; all fields optional.
    public init(
        text: String? = nil, domain: String? = nil, task: String? = nil, architecture: String? = nil,
        dataset: String? = nil, minimumSparsity: Int? = nil, quantized: Bool? = nil, limit: Int? = nil
    ) {
        self.text = text
        self.domain = domain
        self.task = task
        self.architecture = architecture
        self.dataset = dataset
        self.minimumSparsity = minimumSparsity
        self.quantized = quantized
        self.limit = limit
    }
}

extension Catalog {
    /// Models matching `filter`, ordered by stub.
    public func search(_ filter: SearchFilter) throws -> [ModelRecord] {
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        func add(_ condition: String, _ values: SQLValue...) {
            conditions.append(condition)
            arguments += values
        }
        if let text = filter.text?.lowercased(), !text.isEmpty {
            if text.unicodeScalars.count >= 3 {
                // The trigram index finds candidates; instr keeps the exact substring semantics.
                let phrase = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                add("id IN (SELECT rowid FROM models_search WHERE models_search MATCH ?)", .text(phrase))
            }
            add("instr(search_text, ?) > 0", .text(text))
        }
        if let domain = filter.domain { add("domain = ?", .text(domain)) }
        if let task = filter.task { add("sub_domain = ?", .text(task)) }
        if let architecture = filter.architecture { add("architecture = ?", .text(architecture)) }
        if let dataset = filter.dataset {
            add("(dataset = ? OR substr(dataset, 1, ?) = ?)", .text(dataset), .int(dataset.count + 1), .text(dataset + "_"))
        }
        if let minimum = filter.minimumSparsity { add("sparsity >= ?", .int(minimum)) }
        if let quantized = filter.quantized { add("quantized = ?", .bool(quantized)) }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let limitClause = filter.limit.map { "LIMIT \(max(0, $0))" } ?? ""
        return try database.rows(
            "SELECT \(ModelRecord.columns) FROM models \(whereClause) ORDER BY stub \(limitClause)", arguments
        ).map(ModelRecord.init(row:))
    }
}
