import SparseEngine

/// A benchmark of one model: its sessions (one per `async` stream, else one), random inputs of the
/// resolved shapes, warm-up, then timed streams of inferences.
///
/// ```swift
/// let benchmark = try Benchmark(model: model, settings: .init(cores: 2, seconds: 10))
/// let measurement = try benchmark.run()
/// print(measurement.itemsPerSecond)
/// ```
public final class Benchmark {
    /// The settings, as given.
    public let settings: BenchmarkSettings
    /// Items per inference: `-b`, else the first size of the first input's shape.
    public let batchSize: Int
    /// The shape fed to each model input (model input order).
    public let inputShapes: [[Int]]
    /// The inputs fed on every inference.
    public let feeds: [String: Tensor]
    /// The sessions: one per stream for `async`, one shared otherwise.
    public let sessions: [InferenceSession]

    /// Creates the sessions and inputs; throws on bad settings, shapes the model cannot take, or a
    /// model the engine cannot run.
    public init(model: ONNXModel, settings: BenchmarkSettings, seed: UInt64 = 0) throws {
        try settings.validate()
        self.settings = settings
        sessions = try settings.threadsPerSession.map { try InferenceSession(model: model, options: .init(threads: $0, sparsify: settings.sparsify)) }
        let inputs = sessions[0].inputs
        inputShapes = try InputShapes.resolve(inputs, batchSize: settings.batchSize, explicit: settings.inputShapes, dimensions: settings.dimensions)
        batchSize = settings.batchSize ?? inputShapes.first?.first ?? 1
        var feeds = try RandomInputs.make(for: inputs, shapes: inputShapes, seed: seed)
        for (name, number) in settings.inputValues {
            guard let index = inputs.firstIndex(where: { $0.name == name }) else {
                throw BenchmarkError(.invalidArgument, "--value names '\(name)', which is not an input of the model: \(inputs.map(\.name).joined(separator: ", "))")
            }
            feeds[name] = try RandomInputs.filled(inputs[index].dataType, shape: inputShapes[index], with: number)
        }
        self.feeds = feeds
    }

    /// What the engine does with the model (from the first session; all sessions are alike but for threads).
    public var summary: SessionSummary { sessions[0].summary }

    /// Runs every session once (building its plan), warms up for `warmupSeconds`, then measures for
    /// `seconds`. `log` receives progress lines in deepsparse's wording.
    public func run(log: (String) -> Void = { _ in }) throws -> BenchmarkMeasurement {
        for session in sessions { _ = try session.run(feeds) }
        let streams = settings.effectiveStreams
        let sessions = self.sessions, feeds = self.feeds
        let body: @Sendable (Int) throws -> Void = { stream in
            _ = try sessions[stream % sessions.count].run(feeds)
        }
        if settings.warmupSeconds > 0 {
            log("Starting '\(settings.scenario.exportName)' warm up for \(formatSeconds(settings.warmupSeconds)) seconds")
            _ = try StreamRunner.run(streams: streams, seconds: settings.warmupSeconds, body)
        }
        log("Starting '\(settings.scenario.exportName)' performance measurements for \(formatSeconds(settings.seconds)) seconds")
        let inferences = try StreamRunner.run(streams: streams, seconds: settings.seconds, body)
        return BenchmarkMeasurement(inferences: inferences, batchSize: batchSize, streams: streams)
    }
}

extension Benchmark {
    /// Mean seconds per node over `runs` runs of the first session (after the measurement, so it does
    /// not disturb it).
    public func profile(runs: Int) throws -> [NodeTiming] {
        try sessions[0].profile(feeds, runs: runs)
    }
}

/// `10` for whole seconds, else the decimal value.
func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
}
