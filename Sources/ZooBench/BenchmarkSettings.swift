/// The settings of one benchmark, as `deepsparse.benchmark`'s flags give them.
public struct BenchmarkSettings: Sendable, Equatable {
    /// Items per inference (`-b`); nil = the first size of explicit shapes, else 1.
    public var batchSize: Int?
    /// Threads across all streams (`-ncores`).
    public var cores: Int
    /// How inferences are submitted (`-s`).
    public var scenario: BenchmarkScenario
    /// Concurrent streams (`-nstreams`); nil = the scenario's default. Always 1 for `sync`.
    public var streams: Int?
    /// Seconds of measurement (`-t`).
    public var seconds: Double
    /// Seconds of warm-up before measuring (`-w`).
    public var warmupSeconds: Double
    /// Explicit input shapes by position (`-shapes`), or nil to derive them from the model.
    public var inputShapes: [[Int]]?
    /// Sizes of named symbolic dimensions (`--dim NAME=SIZE`).
    public var dimensions: [String: Int]
    /// Inputs filled with one number instead of random values (`--value NAME=NUMBER`), e.g. a sample rate.
    public var inputValues: [String: Double]
    /// Prune every prunable weight to this sparsity in memory first (`--sparsify`), nil to run the model as is.
    public var sparsify: Double?

    /// deepsparse's defaults: batch 1, sync, 10 s after 2 s of warm-up.
    public init(batchSize: Int? = nil, cores: Int, scenario: BenchmarkScenario = .sync, streams: Int? = nil,
                seconds: Double = 10, warmupSeconds: Double = 2, inputShapes: [[Int]]? = nil, dimensions: [String: Int] = [:],
                inputValues: [String: Double] = [:], sparsify: Double? = nil) {
        self.batchSize = batchSize
        self.cores = cores
        self.scenario = scenario
        self.streams = streams
        self.seconds = seconds
        self.warmupSeconds = warmupSeconds
        self.inputShapes = inputShapes
        self.dimensions = dimensions
        self.inputValues = inputValues
        self.sparsify = sparsify
    }

    /// The number of streams that run: 1 for `sync`, else the one given or the scenario's default.
    public var effectiveStreams: Int {
        scenario == .sync ? 1 : streams ?? scenario.defaultStreams(cores: cores)
    }

    /// Threads of each session: `cores` split as evenly as possible over the `async` streams (at least
    /// one each); a single session with all `cores` for `sync` and `elastic`.
    public var threadsPerSession: [Int] {
        guard scenario == .async else { return [cores] }
        let streams = effectiveStreams
        return (0..<streams).map { max(1, cores / streams + (($0 < cores % streams) ? 1 : 0)) }
    }

    /// Throws when a value is out of range.
    public func validate() throws {
        if let batchSize, batchSize < 1 {
            throw BenchmarkError(.invalidArgument, "batch size must be at least 1, got \(batchSize)")
        }
        guard cores >= 1 else { throw BenchmarkError(.invalidArgument, "the number of cores must be at least 1, got \(cores)") }
        if let streams, streams < 1 {
            throw BenchmarkError(.invalidArgument, "the number of streams must be at least 1, got \(streams)")
        }
        guard seconds > 0, seconds.isFinite else {
            throw BenchmarkError(.invalidArgument, "the benchmark time must be a positive number of seconds, got \(seconds)")
        }
        if let sparsify, !(sparsify >= 0 && sparsify < 1) {
            throw BenchmarkError(.invalidArgument, "--sparsify takes a share of zeros from 0 up to but not including 1 (e.g. 0.9), got \(sparsify)")
        }
        guard warmupSeconds >= 0, warmupSeconds.isFinite else {
            throw BenchmarkError(.invalidArgument, "the warm-up time must be zero or more seconds, got \(warmupSeconds)")
        }
    }
}
