/// Summary statistics of a list of latencies, computed the way `deepsparse.benchmark` does with numpy:
/// population standard deviation (`numpy.std`, ddof 0) and percentiles by linear interpolation between
/// the closest ranks (`numpy.percentile`'s default method).
public struct LatencyStatistics: Sendable, Equatable {
    /// Number of samples.
    public let count: Int
    /// Arithmetic mean.
    public let mean: Double
    /// The 50th percentile.
    public let median: Double
    /// Population standard deviation.
    public let standardDeviation: Double
    /// Smallest sample.
    public let minimum: Double
    /// Largest sample.
    public let maximum: Double
    /// The percentiles `deepsparse.benchmark` reports, in `reportedPercentiles` order.
    public let percentiles: [Double]

    /// The percentiles reported and exported (deepsparse's 25, 50, 75, 90, 95, 99, 99.9).
    public static let reportedPercentiles: [Double] = [25, 50, 75, 90, 95, 99, 99.9]

    /// Summarizes `samples`; all values are 0 when there are none.
    public init(_ samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        guard !sorted.isEmpty else {
            mean = 0; median = 0; standardDeviation = 0; minimum = 0; maximum = 0
            percentiles = Self.reportedPercentiles.map { _ in 0 }
            return
        }
        let mean = sorted.reduce(0, +) / Double(sorted.count)
        self.mean = mean
        let variance = sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(sorted.count)
        standardDeviation = variance.squareRoot()
        median = Self.percentile(sorted: sorted, 50)
        minimum = sorted[0]
        maximum = sorted[sorted.count - 1]
        percentiles = Self.reportedPercentiles.map { Self.percentile(sorted: sorted, $0) }
    }

    /// The value of reported percentile `q` (one of `reportedPercentiles`).
    public func percentile(_ q: Double) -> Double? {
        Self.reportedPercentiles.firstIndex(of: q).map { percentiles[$0] }
    }

    /// The `q`-th percentile (0…100) of ascending `sorted` samples: rank `q/100 · (n − 1)`,
    /// interpolated linearly between the two samples around it.
    public static func percentile(sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "percentile of no samples")
        let rank = min(max(q, 0), 100) / 100 * Double(sorted.count - 1)
        let below = Int(rank.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        let fraction = rank - Double(below)
        return sorted[below] + (sorted[above] - sorted[below]) * fraction
    }
}
