/// Reading records back from their JSON (docs/cli.md's field names), as `zoo` does with a daemon's answers.
extension ModelRecord: Decodable {
    private enum DecodingKeys: String, CodingKey {
        case id, namespace, repoName = "repo_name", repoNameSource = "repo_name_source", stub, stubs, domain, task
        case architecture, subArchitecture = "sub_architecture", framework, repo, dataset
        case trainingScheme = "training_scheme", sparseTag = "sparse_tag", sparseName = "sparse_name"
        case sparseCategory = "sparse_category", sparseTarget = "sparse_target", sparsity, quantized, synthetic
        case displayName = "display_name", description, source, files, recipes, benchmarks
    }

    /// Decodes a record encoded by ``ModelRecord``'s `Encodable` conformance.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DecodingKeys.self)
        id = try c.decode(Int.self, forKey: .id)
        namespace = try c.decode(String.self, forKey: .namespace)
        repoName = try c.decode(String.self, forKey: .repoName)
        repoNameSource = try c.decode(String.self, forKey: .repoNameSource)
        stub = try c.decode(String.self, forKey: .stub)
        stubs = try c.decodeIfPresent([String].self, forKey: .stubs) ?? []
        domain = try c.decodeIfPresent(String.self, forKey: .domain)
        task = try c.decodeIfPresent(String.self, forKey: .task)
        architecture = try c.decode(String.self, forKey: .architecture)
        subArchitecture = try c.decodeIfPresent(String.self, forKey: .subArchitecture)
        framework = try c.decodeIfPresent(String.self, forKey: .framework)
        repo = try c.decodeIfPresent(String.self, forKey: .repo)
        dataset = try c.decodeIfPresent(String.self, forKey: .dataset)
        trainingScheme = try c.decodeIfPresent(String.self, forKey: .trainingScheme)
        sparseTag = try c.decode(String.self, forKey: .sparseTag)
        sparseName = try c.decodeIfPresent(String.self, forKey: .sparseName)
        sparseCategory = try c.decodeIfPresent(String.self, forKey: .sparseCategory)
        sparseTarget = try c.decodeIfPresent(String.self, forKey: .sparseTarget)
        sparsity = try c.decodeIfPresent(Int.self, forKey: .sparsity)
        quantized = try c.decode(Bool.self, forKey: .quantized)
        synthetic = try c.decode(Bool.self, forKey: .synthetic)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        source = try c.decode(String.self, forKey: .source)
        files = try c.decodeIfPresent([FileRecord].self, forKey: .files) ?? []
        recipes = try c.decodeIfPresent([RecipeRecord].self, forKey: .recipes) ?? []
        benchmarks = try c.decodeIfPresent([BenchmarkRecord].self, forKey: .benchmarks) ?? []
    }
}

extension FileRecord: Decodable {
    private enum DecodingKeys: String, CodingKey { case name, kind, url, size, sha256 }

    /// Decodes a file encoded by ``FileRecord``'s `Encodable` conformance.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DecodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name), kind: try c.decode(String.self, forKey: .kind),
            url: try c.decodeIfPresent(String.self, forKey: .url), size: try c.decodeIfPresent(Int64.self, forKey: .size),
            sha256: try c.decodeIfPresent(String.self, forKey: .sha256))
    }
}

extension RecipeRecord: Decodable {
    private enum DecodingKeys: String, CodingKey { case name, url, size, sha256 }

    /// Decodes a recipe encoded by ``RecipeRecord``'s `Encodable` conformance.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DecodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name), url: try c.decodeIfPresent(String.self, forKey: .url),
            size: try c.decodeIfPresent(Int64.self, forKey: .size), sha256: try c.decodeIfPresent(String.self, forKey: .sha256))
    }
}

extension BenchmarkRecord: Decodable {
    private enum DecodingKeys: String, CodingKey {
        case modelDigest = "model_digest", engine, engineVersion = "engine_version", scenario
        case batchSize = "batch_size", numCores = "num_cores", numStreams = "num_streams"
        case itemsPerSecond = "items_per_sec", latencyMeanMs = "latency_mean_ms"
        case latencyMedianMs = "latency_median_ms", latencyP90Ms = "latency_p90_ms", latencyP95Ms = "latency_p95_ms"
        case latencyP99Ms = "latency_p99_ms", isa, machine, recordedAt = "recorded_at"
    }

    /// Decodes a result encoded by ``BenchmarkRecord``'s `Encodable` conformance.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DecodingKeys.self)
        self.init(
            modelDigest: try c.decode(String.self, forKey: .modelDigest), engine: try c.decode(String.self, forKey: .engine),
            engineVersion: try c.decodeIfPresent(String.self, forKey: .engineVersion), scenario: try c.decode(String.self, forKey: .scenario),
            batchSize: try c.decode(Int.self, forKey: .batchSize), numCores: try c.decode(Int.self, forKey: .numCores),
            numStreams: try c.decodeIfPresent(Int.self, forKey: .numStreams) ?? 1,
            itemsPerSecond: try c.decode(Double.self, forKey: .itemsPerSecond),
            latencyMeanMs: try c.decodeIfPresent(Double.self, forKey: .latencyMeanMs),
            latencyMedianMs: try c.decodeIfPresent(Double.self, forKey: .latencyMedianMs),
            latencyP90Ms: try c.decodeIfPresent(Double.self, forKey: .latencyP90Ms),
            latencyP95Ms: try c.decodeIfPresent(Double.self, forKey: .latencyP95Ms),
            latencyP99Ms: try c.decodeIfPresent(Double.self, forKey: .latencyP99Ms),
            isa: try c.decodeIfPresent(String.self, forKey: .isa), machine: try c.decodeIfPresent(String.self, forKey: .machine))
        recordedAt = try c.decodeIfPresent(String.self, forKey: .recordedAt)
    }
}
