import ZooStub

/// Writes one catalog file's entries into the database, inside the caller's transaction.
///
/// Entries naming the same namespace/repo_name are one model: the first entry's stub is its primary stub, the
/// others become aliases and fill in fields the first left empty. A user's catalog may replace a model of the
/// shipped catalog; the shipped catalog never replaces a user's. Models this source listed before and no
/// longer lists are removed, unless the import merges.
struct CatalogImporter {
    let database: Database
    let source: String
    let removingUnlisted: Bool
    private var report: ImportReport
    private var written: Set<Int64> = []

    init(database: Database, source: String, removingUnlisted: Bool = true) {
        self.database = database
        self.source = source
        self.removingUnlisted = removingUnlisted
        report = ImportReport(source: source)
    }

    mutating func run(_ file: CatalogFile) throws -> ImportReport {
        let namespace = file.namespace ?? "neuralmagic"
        for (index, result) in file.entries.enumerated() {
            do {
                let entry = try result.get()
                do {
                    try write(try ValidatedEntry(entry, defaultNamespace: namespace))
                } catch let problem as EntryProblem {
                    report.problems.append(ImportProblem(index: index, stub: entry.stub, message: problem.message))
                }
            } catch let error as CatalogError {
                throw error
            } catch {
                report.problems.append(ImportProblem(index: index, stub: nil, message: "\(DecodingProblem(error))"))
            }
        }
        if removingUnlisted { try removeModelsNoLongerListed() }
        try refreshSearchText()
        report.imported = written.count
        return report
    }

    private mutating func write(_ entry: ValidatedEntry) throws {
        let existing = try database.row(
            "SELECT id, source FROM models WHERE namespace = ? AND repo_name = ?",
            [.text(entry.namespace), .text(entry.repoName)])
        if let existing, let id = existing.int(0).map(Int64.init), written.contains(id) {
            try merge(entry, into: id)
            return
        }
        if let owner = existing?.text(1), owner != source, source == Catalog.shippedSourceName {
            let skipped = "\(entry.namespace)/\(entry.repoName) (defined by \(owner))"
            if !report.skipped.contains(skipped) { report.skipped.append(skipped) }
            return
        }
        let id = try upsertModel(entry)
        written.insert(id)
        try database.run("DELETE FROM aliases WHERE model_id = ?", [.integer(id)])
        try database.run("DELETE FROM files WHERE model_id = ?", [.integer(id)])
        try database.run("DELETE FROM recipes WHERE model_id = ?", [.integer(id)])
        try merge(entry, into: id)
    }

    private func upsertModel(_ entry: ValidatedEntry) throws -> Int64 {
        let stub = entry.stub
        let tag = stub.sparsification
        var long: LongStub?
        var short: ShortStub?
        switch stub.body {
        case .long(let l): long = l
        case .short(let s): short = s
        }
        let values: [SQLValue] = [
            .text(entry.namespace), .text(entry.repoName), .text(entry.repoNameSource), .text(stub.description),
            .optional(entry.domain), .optional(entry.subDomain), .text(stub.architecture),
            .optional(long?.subArchitecture ?? short?.subArchitecture), .optional(long?.framework),
            .optional(long?.repo), .optional(long?.dataset ?? short?.sourceDataset), .optional(long?.trainingScheme),
            .text(stub.sparseTag), .optional(long?.sparseTag.name), .optional(long?.sparseTag.category),
            .optional(long?.sparseTag.target), .optional(tag.sparsityPercent), .bool(tag.isQuantized),
            .bool(entry.synthetic), .optional(entry.displayName), .optional(entry.description), .text(source),
        ]
        try database.run("""
            INSERT INTO models (namespace, repo_name, repo_name_source, stub, domain, sub_domain, architecture,
                sub_architecture, framework, repo, dataset, training_scheme, sparse_tag, sparse_name, sparse_category,
                sparse_target, sparsity, quantized, synthetic, display_name, description, source, search_text)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')
            ON CONFLICT (namespace, repo_name) DO UPDATE SET
                repo_name_source = excluded.repo_name_source, stub = excluded.stub, domain = excluded.domain,
                sub_domain = excluded.sub_domain, architecture = excluded.architecture,
                sub_architecture = excluded.sub_architecture, framework = excluded.framework, repo = excluded.repo,
                dataset = excluded.dataset, training_scheme = excluded.training_scheme,
                sparse_tag = excluded.sparse_tag, sparse_name = excluded.sparse_name,
                sparse_category = excluded.sparse_category, sparse_target = excluded.sparse_target,
                sparsity = excluded.sparsity, quantized = excluded.quantized, synthetic = excluded.synthetic,
                display_name = excluded.display_name, description = excluded.description, source = excluded.source
            """, values)
        return try database.row(
            "SELECT id FROM models WHERE namespace = ? AND repo_name = ?",
            [.text(entry.namespace), .text(entry.repoName)])!.int(0).map(Int64.init)!
    }

    /// Adds the entry's stubs, files and recipes to model `id`, and fills fields the model lacks.
    private func merge(_ entry: ValidatedEntry, into id: Int64) throws {
        for stub in [entry.stub] + entry.aliases {
            let form = if case .long = stub.body { "long" } else { "short" }
            try database.run("""
                INSERT INTO aliases (stub, model_id, form) VALUES (?, ?, ?)
                ON CONFLICT (stub) DO UPDATE SET model_id = excluded.model_id
                WHERE ? != 'shipped' OR (SELECT source FROM models WHERE id = aliases.model_id) = 'shipped'
                """, [.text(stub.description), .integer(id), .text(form), .text(source)])
            if case .short(let short) = stub.body {
                // A short stub is its model's own name: it confirms a name that was derived or declared.
                try database.run(
                    "UPDATE models SET repo_name_source = 'stub' WHERE id = ? AND repo_name = ?",
                    [.integer(id), .text(short.repoName)])
            }
        }
        if case .long(let long) = entry.stub.body {
            try database.run("""
                UPDATE models SET domain = coalesce(domain, ?), sub_domain = coalesce(sub_domain, ?),
                    framework = coalesce(framework, ?), repo = coalesce(repo, ?) WHERE id = ?
                """, [.text(long.domain), .text(long.subDomain), .text(long.framework), .text(long.repo), .integer(id)])
        }
        for file in entry.files {
            try database.run(
                "INSERT OR REPLACE INTO files (model_id, name, kind, url, size, sha256) VALUES (?, ?, ?, ?, ?, ?)",
                [.integer(id), .text(file.name), .text(file.kind ?? FileKind.guess(file.name)), .optional(file.url),
                 file.size.map(SQLValue.integer) ?? .null, .optional(file.sha256)])
        }
        for recipe in entry.recipes {
            try database.run(
                "INSERT OR REPLACE INTO recipes (model_id, name, url, size, sha256) VALUES (?, ?, ?, ?, ?)",
                [.integer(id), .text(recipe.name), .optional(recipe.url), recipe.size.map(SQLValue.integer) ?? .null,
                 .optional(recipe.sha256)])
        }
    }

    private mutating func removeModelsNoLongerListed() throws {
        let listed = try database.rows("SELECT id FROM models WHERE source = ?", [.text(source)]).compactMap { $0.int(0) }
        for id in listed where !written.contains(Int64(id)) {
            try database.run("DELETE FROM models WHERE id = ?", [.int(id)])
            report.removed += 1
        }
    }

    private func refreshSearchText() throws {
        try database.run("""
            UPDATE models SET search_text = lower(repo_name || ' ' || namespace || ' ' || coalesce(display_name, '') || ' ' ||
                coalesce((SELECT group_concat(stub, ' ') FROM aliases WHERE model_id = models.id), ''))
            WHERE source = ?
            """, [.text(source)])
        try database.execute("INSERT INTO models_search (models_search) VALUES ('rebuild')")
    }
}
