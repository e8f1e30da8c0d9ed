import Foundation
import SparseEngine
import ZooBench

/// Benchmark jobs: queued, then run one at a time per core set on a thread pinned to that set, so two jobs
/// never share CPUs; jobs on disjoint sets run side by side. Every change is recorded in the catalog
/// (``BenchJobStore``): after a restart, ``restore()`` answers for the jobs of earlier runs, queues the queued
/// ones again, and reports the one that was running as interrupted. Should a change fail to be recorded (the
/// catalog locked for long by another process), the answers stay right and only the record lags behind.
final class BenchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [String: BenchJob] = [:]
    private var order: [String] = []
    private var queues: [CoreSet: [String]] = [:]
    private var busy: Set<CoreSet> = []
    private var stopping = false
    private let version: String
    private let store: BenchJobStore

    init(version: String, store: BenchJobStore) {
        self.version = version
        self.store = store
    }

    /// Takes up the jobs the catalog records: finished ones are answered for, queued ones run again in the order
    /// they were submitted, and running ones (the daemon stopped under them) become `interrupted`.
    func restore() throws {
        for var job in try store.load() {
            if job.status == .running {
                job.status = .interrupted
                job.finishedAt = Date().timeIntervalSince1970
                job.error = "the daemon stopped while the benchmark ran; submit it again"
                try store.save(job)
            }
            condition.withLock {
                jobs[job.id] = job
                order.append(job.id)
                if job.status == .queued { enqueue(job) }
            }
        }
    }

    /// Queues a benchmark of the `.onnx` file at `modelPath`; returns the job as queued.
    func submit(model: String, modelPath: String, coreSet: CoreSet, settings: BenchmarkSettings) throws -> BenchJob {
        try settings.validate()
        let job = BenchJob(id: UUID().uuidString.lowercased(), model: model, modelPath: modelPath, coreSet: coreSet, settings: settings)
        guard !condition.withLock({ stopping }) else {
            throw APIError(.serviceUnavailable, code: "api.shuttingDown", "the daemon is shutting down; submit the benchmark once it has restarted")
        }
        // Recorded before it can start, so that the record never goes back from running to queued. Should the
        // daemon stop right now, the job stays queued and runs after the restart.
        try store.save(job)
        condition.withLock {
            jobs[job.id] = job
            order.append(job.id)
            if !stopping { enqueue(job) }
        }
        return job
    }

    /// A job by id.
    func job(_ id: String) -> BenchJob? { condition.withLock { jobs[id] } }

    /// Every job, oldest first.
    func all() -> [BenchJob] { condition.withLock { order.compactMap { jobs[$0] } } }

    /// How many jobs are in each status.
    func counts() -> [String: Int] {
        condition.withLock {
            var counts = Dictionary(uniqueKeysWithValues: BenchJob.Status.allCases.map { ($0.rawValue, 0) })
            for job in jobs.values { counts[job.status.rawValue, default: 0] += 1 }
            return counts
        }
    }

    /// Takes no more jobs and starts none of the queued ones, which stay queued (in the catalog too) for the next
    /// start; a running job finishes if the daemon lives long enough, else it is reported interrupted then.
    func stop() {
        condition.withLock {
            stopping = true
            queues.removeAll()
        }
    }

    /// Puts `job` on its core set's queue, starting the set's thread if it has none; the caller holds the lock.
    private func enqueue(_ job: BenchJob) {
        queues[job.coreSet, default: []].append(job.id)
        guard !busy.contains(job.coreSet) else { return }
        busy.insert(job.coreSet)
        let thread = Thread { [self] in drain(job.coreSet) }
        thread.name = "zoo-bench-\(job.coreSet)"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Runs the set's jobs one after another on this thread, pinned to the set.
    private func drain(_ coreSet: CoreSet) {
        let pinned = coreSet.pinCurrentThread()
        while let job = nextJob(coreSet) {
            do {
                if !pinned { throw APIError.badRequest("cannot pin to CPUs \(coreSet); name CPUs this machine has") }
                let onnx = try ONNXModel(contentsOf: URL(fileURLWithPath: job.modelPath))
                let benchmark = try Benchmark(model: onnx, settings: job.settings)
                let measurement = try benchmark.run()
                let report = BenchmarkReport(
                    benchmark: benchmark, measurement: measurement, originalModelPath: job.model, modelPath: job.modelPath, version: version)
                finish(job.id, result: try JSONText.line(encoding: report), error: nil)
            } catch {
                finish(job.id, result: nil, error: APIError.from(error).message)
            }
        }
    }

    /// The set's next job, marked running (and recorded so); nil when the set has none left.
    private func nextJob(_ coreSet: CoreSet) -> BenchJob? {
        let job: BenchJob? = condition.withLock {
            guard let id = queues[coreSet]?.first else {
                busy.remove(coreSet)
                return nil
            }
            queues[coreSet]?.removeFirst()
            jobs[id]?.status = .running
            jobs[id]?.startedAt = Date().timeIntervalSince1970
            return jobs[id]
        }
        if let job { try? store.save(job) }
        return job
    }

    /// Records the end of a job.
    private func finish(_ id: String, result: String?, error: String?) {
        let job: BenchJob? = condition.withLock {
            jobs[id]?.status = error == nil ? .done : .failed
            jobs[id]?.finishedAt = Date().timeIntervalSince1970
            jobs[id]?.result = result
            jobs[id]?.error = error
            return jobs[id]
        }
        if let job { try? store.save(job) }
    }
}
