/// A model as the catalog knows it: identity, parsed stub fields, and (when loaded in full) its files,
/// recipes and benchmark results. Field names in JSON are stable (docs/cli.md).
public struct ModelRecord: Sendable, Encodable {
    public var id: Int
    public var namespace: String
    public var repoName: String
    /// How repoName was learned: `stub` (a short stub is its own name), `observed`, `derived` or `declared`.
    public var repoNameSource: String
    /// The canonical stub the model is listed under.
    public var stub: String
    /// Every stub that names the model, the primary one first.
    public var stubs: [String] = []
    public var domain: String?
    public var task: String?
    public var architecture: String
    public var subArchitecture: String?
    public var framework: String?
    public var repo: String?
    public var dataset: String?
    public var trainingScheme: String?
    public var sparseTag: String
    public var sparseName: String?
    public var sparseCategory: String?
    public var sparseTarget: String?
    /// Weight sparsity in percent when the tag states it.
    public var sparsity: Int?
    public var quantized: Bool
    /// Made up for demos and tests; not a real SparseZoo model.
    public var synthetic: Bool
    public var displayName: String?
    public var description: String?
    /// The catalog file that listed the model.
    public var source: String
    public var files: [FileRecord] = []
    public var recipes: [RecipeRecord] = []
    public var benchmarks: [BenchmarkRecord] = []

    private enum CodingKeys: String, CodingKey {
        case id, namespace, repoName = "repo_name", repoNameSource = "repo_name_source", stub, stubs, domain, task
        case architecture, subArchitecture = "sub_architecture", framework, repo, dataset
        case trainingScheme = "training_scheme", sparseTag = "sparse_tag", sparseName = "sparse_name"
        case sparseCategory = "sparse_category", sparseTarget = "sparse_target", sparsity, quantized, synthetic
        case displayName = "display_name", description, source, files, recipes, benchmarks
    }

    /// The columns `init(row:)` reads, in order.
    static let columns = """
        id, namespace, repo_name, repo_name_source, stub, domain, sub_domain, architecture, sub_architecture,
        framework, repo, dataset, training_scheme, sparse_tag, sparse_name, sparse_category, sparse_target,
        sparsity, quantized, synthetic, display_name, description, source
        """

    init(row r: Row) {
        id = r.int(0) ?? 0
        namespace = r.text(1) ?? ""
        repoName = r.text(2) ?? ""
        repoNameSource = r.text(3) ?? ""
        stub = r.text(4) ?? ""
        domain = r.text(5)
        task = r.text(6)
        architecture = r.text(7) ?? ""
        subArchitecture = r.text(8)
        framework = r.text(9)
        repo = r.text(10)
        dataset = r.text(11)
        trainingScheme = r.text(12)
        sparseTag = r.text(13) ?? ""
        sparseName = r.text(14)
        sparseCategory = r.text(15)
        sparseTarget = r.text(16)
        sparsity = r.int(17)
        quantized = r.bool(18)
        synthetic = r.bool(19)
        displayName = r.text(20)
        description = r.text(21)
        source = r.text(22) ?? ""
    }
}

/// One artifact of a model.
public struct FileRecord: Sendable, Encodable {
    public var name: String
    public var kind: String
    public var url: String?
    public var size: Int64?
    public var sha256: String?
}

/// One sparsification recipe of a model.
public struct RecipeRecord: Sendable, Encodable {
    public var name: String
    public var url: String?
    public var size: Int64?
    public var sha256: String?
}
