/// How inferences are submitted during a benchmark, named as `deepsparse.benchmark -s` names them.
///
/// - `sync`: one stream; each inference starts when the previous one ends, on all the cores.
/// - `async`: `streams` threads submit concurrently, each to its own session with its share of the cores.
/// - `elastic`: `streams` threads submit concurrently to one session that runs one inference at a time
///   on all the cores (one engine per NUMA node in deepsparse; this machine model has one node), so
///   requests queue and latency includes the wait.
public enum BenchmarkScenario: String, CaseIterable, Sendable, Codable {
    case sync
    case async
    case elastic

    /// deepsparse's internal scenario name, exported as `scenario`: `singlestream`, `multistream`, `elastic`.
    public var exportName: String {
        switch self {
        case .sync: return "singlestream"
        case .async: return "multistream"
        case .elastic: return "elastic"
        }
    }

    /// deepsparse's scheduler name, exported as `scheduler`.
    public var schedulerName: String {
        switch self {
        case .sync: return "Scheduler.single_stream"
        case .async: return "Scheduler.multi_stream"
        case .elastic: return "Scheduler.elastic"
        }
    }

    /// The number of streams when none is given: 1 for `sync`, else `max(1, cores / 2)` as deepsparse does.
    public func defaultStreams(cores: Int) -> Int {
        self == .sync ? 1 : max(1, cores / 2)
    }
}
