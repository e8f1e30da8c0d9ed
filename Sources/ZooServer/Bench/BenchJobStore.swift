import Foundation
import ZooCatalog

/// The benchmark jobs in the catalog (table `bench_jobs`, migration 0003), so that their status and results
/// outlive the daemon. One connection of its own, opened on first use and used under a lock.
final class BenchJobStore: @unchecked Sendable {
    private let lock = NSLock()
    private let path: String
    private var catalog: Catalog?

    /// The jobs of the catalog at `path`.
    init(path: String) { self.path = path }

    /// Records `job` as it is now.
    func save(_ job: BenchJob) throws {
        try lock.withLock { try connection().save(job.record) }
    }

    /// Every job recorded, oldest first.
    func load() throws -> [BenchJob] {
        try lock.withLock { try connection().benchJobs().compactMap(BenchJob.init(record:)) }
    }

    private func connection() throws -> Catalog {
        if let catalog { return catalog }
        let opened = try Catalog(path: path)
        catalog = opened
        return opened
    }
}
