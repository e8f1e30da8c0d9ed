import SparseEngine

/// Everything one benchmark produced: the model, the settings, the measurement and what the engine did.
/// Rendered as `deepsparse.benchmark`'s printed fields (`text`) or its `-x` JSON (`Encodable`).
public struct BenchmarkReport: Sendable {
    /// The model argument as given (`orig_model_path`): a path or a stub.
    public let originalModelPath: String
    /// The `.onnx` file that ran (`model_path`).
    public let modelPath: String
    /// The engine's version (`version`).
    public let version: String
    /// The settings, as given.
    public let settings: BenchmarkSettings
    /// Items per inference.
    public let batchSize: Int
    /// The shape fed to each input.
    public let inputShapes: [[Int]]
    /// Threads of each session.
    public let threadsPerSession: [Int]
    /// The timed inferences and their statistics.
    public let measurement: BenchmarkMeasurement
    /// What the engine did to the model and how it ran it.
    public let summary: SessionSummary
    /// Mean seconds per node, when profiled (`Benchmark.profile`).
    public let profile: [NodeTiming]?
    /// Bytes of weights the first session holds after the measurement (`InferenceSession.weightBytes`).
    public let weightBytes: Int
    /// How the batch ran (`InferenceSession.batchSlicing`): whole (items equal to the batch), or in slices.
    public let slicing: BatchSlicing

    /// Assembles the report of a finished benchmark.
    public init(benchmark: Benchmark, measurement: BenchmarkMeasurement, originalModelPath: String, modelPath: String, version: String,
                profile: [NodeTiming]? = nil) {
        self.profile = profile
        self.originalModelPath = originalModelPath
        self.modelPath = modelPath
        self.version = version
        settings = benchmark.settings
        batchSize = benchmark.batchSize
        inputShapes = benchmark.inputShapes
        threadsPerSession = benchmark.settings.threadsPerSession
        self.measurement = measurement
        summary = benchmark.summary
        weightBytes = benchmark.sessions[0].weightBytes
        slicing = (try? benchmark.sessions[0].batchSlicing(benchmark.feeds))
            ?? BatchSlicing(batch: benchmark.batchSize, items: benchmark.batchSize)
    }

    /// The engine's description (`engine`), laid out like deepsparse's `str(Engine)`.
    public var engineDescription: String {
        [
            "zoo.SparseEngine:",
            "\tonnx_file_path: \(modelPath)",
            "\tbatch_size: \(batchSize)",
            "\tnum_cores: \(settings.cores)",
            "\tnum_streams: \(measurement.streams)",
            "\tscheduler: \(settings.scenario.schedulerName)",
            "\tfraction_of_supported_ops: 1.0",
            "\tcpu_avx_type: \(summary.isa.hasPrefix("avx512") ? "avx512" : summary.isa)",
            "\tcpu_vnni: \(summary.vnni ? "True" : "False")",
        ].joined(separator: "\n")
    }
}
