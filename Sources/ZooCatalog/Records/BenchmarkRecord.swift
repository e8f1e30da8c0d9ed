/// One benchmark run of a model file, keyed by the file's sha256.
public struct BenchmarkRecord: Sendable, Encodable {
    public var modelDigest: String
    public var engine: String
    public var engineVersion: String?
    public var scenario: String
    public var batchSize: Int
    public var numCores: Int
    public var numStreams: Int
    public var itemsPerSecond: Double
    public var latencyMeanMs: Double?
    public var latencyMedianMs: Double?
    public var latencyP90Ms: Double?
    public var latencyP95Ms: Double?
    public var latencyP99Ms: Double?
    public var isa: String?
    public var machine: String?
    /// When it ran (UTC, ISO 8601); filled in by the catalog.
    public var recordedAt: String?

    private enum CodingKeys: String, CodingKey {
        case modelDigest = "model_digest", engine, engineVersion = "engine_version", scenario
        case batchSize = "batch_size", numCores = "num_cores", numStreams = "num_streams"
        case itemsPerSecond = "items_per_sec", latencyMeanMs = "latency_mean_ms"
        case latencyMedianMs = "latency_median_ms", latencyP90Ms = "latency_p90_ms", latencyP95Ms = "latency_p95_ms"
        case latencyP99Ms = "latency_p99_ms", isa, machine, recordedAt = "recorded_at"
    }

    /// Creates a result to record.
    public init(
        modelDigest: String, engine: String, engineVersion: String? = nil, scenario: String, batchSize: Int,
        numCores: Int, numStreams: Int = 1, itemsPerSecond: Double, latencyMeanMs: Double? = nil,
        latencyMedianMs: Double? = nil, latencyP90Ms: Double? = nil, latencyP95Ms: Double? = nil,
        latencyP99Ms: Double? = nil, isa: String? = nil, machine: String? = nil
    ) {
        self.modelDigest = modelDigest
        self.engine = engine
        self.engineVersion = engineVersion
        self.scenario = scenario
        self.batchSize = batchSize
        self.numCores = numCores
        self.numStreams = numStreams
        self.itemsPerSecond = itemsPerSecond
        self.latencyMeanMs = latencyMeanMs
        self.latencyMedianMs = latencyMedianMs
        self.latencyP90Ms = latencyP90Ms
        self.latencyP95Ms = latencyP95Ms
        self.latencyP99Ms = latencyP99Ms
        self.isa = isa
        self.machine = machine
    }
}
