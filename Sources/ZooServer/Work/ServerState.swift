import Foundation
import ZooTransfer

/// What every route shares: the configuration, the worker pools, the pulls, the benchmark queue and the metrics.
final class ServerState: Sendable {
    let configuration: ServerConfiguration
    /// Catalog and cache work other than pulls (resolve, search, show, ls, rm, gc, verify, file lookups).
    let queries: WorkerPool
    /// Pulls, one thread each for as long as they run.
    let pulls: WorkerPool
    let coordinator: PullCoordinator
    let bench: BenchQueue
    let metrics = ServerMetrics()
    /// Catalog answers kept while the catalog is unchanged.
    let answers: AnswerCache
    /// Stops every upstream transfer of the daemon at once (SIGTERM after the grace period).
    let cancellation = TransferCancellation()
    let started = Date()

    init(configuration: ServerConfiguration) {
        self.configuration = configuration
        answers = AnswerCache(path: configuration.home.catalogPath)
        let cancellation = self.cancellation
        let open: @Sendable () throws -> StoreSession = { try StoreSession(configuration: configuration, cancellation: cancellation) }
        queries = WorkerPool(name: "zoo-query", threads: configuration.queryThreads, eager: true, makeSession: open)
        pulls = WorkerPool(name: "zoo-pull", threads: configuration.pullThreads, makeSession: open)
        coordinator = PullCoordinator(pool: pulls, journal: PullJournal(home: configuration.home), metrics: metrics)
        bench = BenchQueue(version: configuration.version, store: BenchJobStore(path: configuration.home.catalogPath))
    }

    /// Lets the pools' threads end.
    func stop() {
        queries.stop()
        pulls.stop()
        bench.stop()
    }
}
