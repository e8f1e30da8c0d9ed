/// One benchmark job of `zoo serve` as the catalog keeps it (table `bench_jobs`): what was asked, where it is,
/// and its result once done.
public struct BenchJobRecord: Sendable, Equatable {
    public var id: String
    /// The model as asked for (a stub or a path) and the `.onnx` file it resolved to.
    public var model: String
    public var modelPath: String
    /// The CPUs it runs on, written `0-3` or `0,2`.
    public var coreSet: String
    public var batchSize: Int?
    public var numCores: Int
    public var scenario: String
    public var numStreams: Int?
    public var seconds: Double
    public var warmupSeconds: Double
    /// `queued`, `running`, `done`, `failed` or `interrupted`.
    public var status: String
    /// Unix seconds.
    public var submittedAt: Double
    public var startedAt: Double?
    public var finishedAt: Double?
    /// `zoo bench --json`'s object, once done.
    public var result: String?
    /// Why it failed or was interrupted.
    public var error: String?

    /// A job record.
    public init(
        id: String, model: String, modelPath: String, coreSet: String, batchSize: Int?, numCores: Int, scenario: String,
        numStreams: Int?, seconds: Double, warmupSeconds: Double, status: String, submittedAt: Double,
        startedAt: Double? = nil, finishedAt: Double? = nil, result: String? = nil, error: String? = nil
    ) {
        self.id = id
        self.model = model
        self.modelPath = modelPath
        self.coreSet = coreSet
        self.batchSize = batchSize
        self.numCores = numCores
        self.scenario = scenario
        self.numStreams = numStreams
        self.seconds = seconds
        self.warmupSeconds = warmupSeconds
        self.status = status
        self.submittedAt = submittedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.result = result
        self.error = error
    }
}
