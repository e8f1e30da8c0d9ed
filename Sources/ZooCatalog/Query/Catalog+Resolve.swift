import ZooStub

extension Catalog {
    /// The model `stub` names (its query ignored), without files and recipes; `nil` if none.
    ///
    /// A stub matches its own entry or any alias; a short stub also matches a model whose repoName it is,
    /// in any namespace.
    public func resolve(_ stub: Stub) throws -> ModelRecord? {
        let key = stub.withoutQuery.description
        if let row = try database.row(
            "SELECT \(ModelRecord.columns) FROM models WHERE id = (SELECT model_id FROM aliases WHERE stub = ?)",
            [.text(key)])
        {
            return ModelRecord(row: row)
        }
        if case .short(let short) = stub.body, let row = try database.row(
            "SELECT \(ModelRecord.columns) FROM models WHERE repo_name = ? ORDER BY namespace = 'neuralmagic' DESC LIMIT 1",
            [.text(short.repoName)])
        {
            return ModelRecord(row: row)
        }
        return nil
    }

    /// The model with its stubs, files, recipes and benchmark results.
    public func details(of model: ModelRecord) throws -> ModelRecord {
        var full = model
        let id: [SQLValue] = [.int(model.id)]
        full.stubs = try database.rows(
            "SELECT stub FROM aliases WHERE model_id = ? ORDER BY stub != ?, form, stub", id + [.text(model.stub)]
        ).compactMap { $0.text(0) }
        full.files = try database.rows("SELECT name, kind, url, size, sha256 FROM files WHERE model_id = ? ORDER BY name", id)
            .map { FileRecord(name: $0.text(0) ?? "", kind: $0.text(1) ?? "", url: $0.text(2), size: $0.int(3).map(Int64.init), sha256: $0.text(4)) }
        full.recipes = try database.rows("SELECT name, url, size, sha256 FROM recipes WHERE model_id = ? ORDER BY name", id)
            .map { RecipeRecord(name: $0.text(0) ?? "", url: $0.text(1), size: $0.int(2).map(Int64.init), sha256: $0.text(3)) }
        full.benchmarks = try benchmarks(modelID: model.id)
        return full
    }

    /// Up to `limit` known stubs closest to `stub` by edit distance, nearest first: what the user may have meant.
    public func nearestStubs(to stub: Stub, limit: Int = 5) throws -> [String] {
        let target = Array(stub.withoutQuery.description.utf8)
        var candidates = try database.rows(
            "SELECT stub FROM aliases WHERE model_id IN (SELECT id FROM models WHERE architecture = ?) LIMIT 20000",
            [.text(stub.architecture)])
        if candidates.count < limit {
            candidates += try database.rows("SELECT stub FROM aliases LIMIT 20000")
        }
        var scored: [(distance: Int, stub: String)] = []
        var seen: Set<String> = []
        for row in candidates {
            guard let text = row.text(0), seen.insert(text).inserted else { continue }
            scored.append((EditDistance.between(target, Array(text.utf8)), text))
        }
        return scored.sorted { ($0.distance, $0.stub) < ($1.distance, $1.stub) }.prefix(limit).map(\.stub)
    }
}

/// Levenshtein distance over bytes, two rows of memory.
enum EditDistance {
    static func between(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension Catalog {
    /// The model listed as `namespace/repoName`, without files and recipes; `nil` if none.
    public func model(namespace: String, repoName: String) throws -> ModelRecord? {
        try database.row(
            "SELECT \(ModelRecord.columns) FROM models WHERE namespace = ? AND repo_name = ?",
            [.text(namespace), .text(repoName)]
        ).map(ModelRecord.init(row:))
    }
}
