import Foundation
import SparseEngine
import ZooBench

/// Benchmark jobs: queued, then run one at a time per core set on a thread pinned to that set, so two jobs
/// never share CPUs; jobs on disjoint sets run side by side. Jobs live as long as the daemon.
final class BenchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [String: BenchJob] = [:]
    private var order: [String] = []
    private var queues: [CoreSet: [String]] = [:]
    private var busy: Set<CoreSet> = []
    private var stopping = false
    private let version: String

    init(version: String) { self.version = version }

    /// Queues a benchmark of the `.onnx` file at `modelPath`; returns the job as queued.
    func submit(model: String, modelPath: String, coreSet: CoreSet, settings: BenchmarkSettings) throws -> BenchJob {
        try settings.validate()
        let job = BenchJob(id: UUID().uuidString.lowercased(), model: model, modelPath: modelPath, coreSet: coreSet, settings: settings)
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else {
            throw APIError(.serviceUnavailable, code: "api.shuttingDown", "the daemon is shutting down; submit the benchmark once it has restarted")
        }
        jobs[job.id] = job
        order.append(job.id)
        queues[coreSet, default: []].append(job.id)
        if !busy.contains(coreSet) {
            busy.insert(coreSet)
            let thread = Thread { [self] in drain(coreSet) }
            thread.name = "zoo-bench-\(coreSet)"
            thread.stackSize = 8 << 20
            thread.start()
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
            var counts: [String: Int] = [:]
            for status in [BenchJob.Status.queued, .running, .done, .failed] { counts[status.rawValue] = 0 }
            for job in jobs.values { counts[job.status.rawValue, default: 0] += 1 }
            return counts
        }
    }

    /// Drops the queued jobs (marked failed) and lets running ones finish.
    func stop() {
        condition.withLock {
            stopping = true
            for (set, ids) in queues {
                for id in ids { finish(id, result: nil, error: "the daemon shut down before the job started; submit it again") }
                queues[set] = []
            }
        }
    }

    /// Runs the set's jobs one after another on this thread, pinned to the set.
    private func drain(_ coreSet: CoreSet) {
        let pinned = coreSet.pinCurrentThread()
        while let id = nextJob(coreSet) {
            guard let job = self.job(id) else { continue }
            do {
                if !pinned { throw APIError.badRequest("cannot pin to CPUs \(coreSet); name CPUs this machine has") }
                let onnx = try ONNXModel(contentsOf: URL(fileURLWithPath: job.modelPath))
                let benchmark = try Benchmark(model: onnx, settings: job.settings)
                let measurement = try benchmark.run()
                let report = BenchmarkReport(
                    benchmark: benchmark, measurement: measurement, originalModelPath: job.model, modelPath: job.modelPath, version: version)
                let result = try JSONText.line(encoding: report)
                condition.withLock { finish(id, result: result, error: nil) }
            } catch {
                let message = APIError.from(error).message
                condition.withLock { finish(id, result: nil, error: message) }
            }
        }
    }

    private func nextJob(_ coreSet: CoreSet) -> String? {
        condition.withLock {
            guard let id = queues[coreSet]?.first else {
                busy.remove(coreSet)
                return nil
            }
            queues[coreSet]?.removeFirst()
            jobs[id]?.status = .running
            jobs[id]?.startedAt = Date().timeIntervalSince1970
            return id
        }
    }

    /// Records the end of a job; the caller holds the lock.
    private func finish(_ id: String, result: String?, error: String?) {
        jobs[id]?.status = error == nil ? .done : .failed
        jobs[id]?.finishedAt = Date().timeIntervalSince1970
        jobs[id]?.result = result
        jobs[id]?.error = error
    }
}
