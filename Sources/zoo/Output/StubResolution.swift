import ZooCatalog
import ZooStub

/// What `zoo resolve` reports: the parse, the canonical form, and the catalog's answer.
struct StubResolution: Encodable {
    let input: String
    let stub: Stub
    let model: ModelRecord?
    let nearest: [String]

    private enum CodingKeys: String, CodingKey {
        case input, canonical, form, fields, query, sparsification, model, nearest
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(input, forKey: .input)
        try c.encode(stub.description, forKey: .canonical)
        try c.encode(form, forKey: .form)
        try c.encode(fields.reduce(into: [String: String?]()) { $0[$1.0] = $1.1 }, forKey: .fields)
        try c.encode(
            StubQuery.Key.allCases.reduce(into: [String: String?]()) { $0[$1.rawValue] = stub.query[$1] }, forKey: .query)
        try c.encode(SparsificationJSON(stub.sparsification), forKey: .sparsification)
        try c.encode(model, forKey: .model)
        try c.encode(nearest, forKey: .nearest)
    }

    private var form: String {
        if case .long = stub.body { return "long" }
        return "short"
    }

    /// The parsed fields in grammar order, absent ones as `nil`.
    private var fields: [(String, String?)] {
        switch stub.body {
        case .long(let l):
            return [
                ("domain", l.domain), ("sub_domain", l.subDomain), ("architecture", l.architecture),
                ("sub_architecture", l.subArchitecture), ("framework", l.framework), ("repo", l.repo),
                ("dataset", l.dataset), ("training_scheme", l.trainingScheme), ("sparse_name", l.sparseTag.name),
                ("sparse_category", l.sparseTag.category), ("sparse_target", l.sparseTag.target),
            ]
        case .short(let s):
            return [
                ("architecture", s.architecture), ("sub_architecture", s.subArchitecture),
                ("source_dataset", s.sourceDataset), ("training_dataset", s.trainingDataset),
                ("sparse_tag", s.sparseTag), ("repo_name", s.repoName),
            ]
        }
    }

    var humanReadable: String {
        var list = FieldList()
        list.add("canonical", stub.description)
        list.add("form", form)
        for (name, value) in fields { list.add(name, value) }
        for key in StubQuery.Key.allCases { list.add("?" + key.rawValue, stub.query[key]) }
        list.add("tags", stub.sparsification.labels.joined(separator: ", "))
        if let model {
            list.add("catalog", "\(model.namespace)/\(model.repoName)" + (model.repoNameSource == "derived" ? " (name derived from the stub)" : ""))
            if model.synthetic { list.add("synthetic", "yes (a made-up model for demos and tests)") }
            return list.rendered
        }
        var text = list.rendered + "\n\nnot in the catalog"
        if !nearest.isEmpty { text += "; the nearest known stubs are:\n" + nearest.map { "  \($0)" }.joined(separator: "\n") }
        return text
    }
}

/// The `sparsification` object of resolve's JSON.
struct SparsificationJSON: Encodable {
    let sparsity: Int?
    let pruned: Bool
    let quantized: Bool
    let blockStructured: Bool

    init(_ s: Sparsification) {
        sparsity = s.sparsityPercent
        pruned = s.isPruned
        quantized = s.isQuantized
        blockStructured = s.isBlockStructured
    }

    private enum CodingKeys: String, CodingKey { case sparsity, pruned, quantized, blockStructured = "block_structured" }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sparsity, forKey: .sparsity)
        try c.encode(pruned, forKey: .pruned)
        try c.encode(quantized, forKey: .quantized)
        try c.encode(blockStructured, forKey: .blockStructured)
    }
}
