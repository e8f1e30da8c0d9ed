/// The timed inferences of a benchmark and what `deepsparse.benchmark` derives from them.
public struct BenchmarkMeasurement: Sendable {
    /// Every timed inference, stream by stream.
    public let inferences: [TimedInference]
    /// Items per inference.
    public let batchSize: Int
    /// Streams that ran.
    public let streams: Int
    /// Latency statistics in milliseconds per batch.
    public let latency: LatencyStatistics
    /// Seconds from the first start to the last end.
    public let secondsRan: Double

    /// Summarizes `inferences`.
    public init(inferences: [TimedInference], batchSize: Int, streams: Int) {
        self.inferences = inferences
        self.batchSize = batchSize
        self.streams = streams
        latency = LatencyStatistics(inferences.map { $0.seconds * 1000 })
        let first = inferences.map(\.start).min() ?? 0, last = inferences.map(\.end).max() ?? 0
        secondsRan = last - first
    }

    /// Number of inferences over all streams.
    public var iterations: Int { inferences.count }

    /// `batch_size · iterations / seconds_ran`, deepsparse's throughput (harness overhead included).
    public var itemsPerSecond: Double {
        secondsRan > 0 ? Double(batchSize * iterations) / secondsRan : 0
    }

    /// Inferences completed by each stream.
    public var iterationsPerStream: [Int] {
        (0..<streams).map { stream in inferences.reduce(0) { $0 + ($1.stream == stream ? 1 : 0) } }
    }
}
