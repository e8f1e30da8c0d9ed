import CCurl
import Foundation

/// One unit of work for a ``TransferLoop``, made of attempts that are each one libcurl transfer.
protocol TransferJob: AnyObject {
    /// The handle for the next attempt, or nil when the job ended without needing one.
    func beginAttempt() -> EasyHandle?
    /// Takes libcurl's result for the attempt on `handle`: returns the seconds to wait before the next attempt,
    /// or nil when the job has ended.
    func endAttempt(_ handle: EasyHandle, result: CURLcode) -> Double?
    /// Ends the job because the caller cancelled; its attempt, if any, is already detached.
    func cancel()
}

/// Runs jobs on one multi handle on the calling thread, at most `maxParallel` at a time; a job waiting to retry
/// keeps its place while the others go on.
struct TransferLoop {
    let multi: MultiHandle
    let cancellation: TransferCancellation

    /// How long one wait for network activity may last, so that cancellation and retry times are noticed.
    private static let longestWait = 0.1

    /// Runs `jobs` to their end, calling `afterEachRound` whenever libcurl has done some work.
    func run(_ jobs: [TransferJob], maxParallel: Int, afterEachRound: () -> Void) {
        var queued = jobs[...]
        var running: [UnsafeMutableRawPointer: (job: TransferJob, handle: EasyHandle)] = [:]
        var waiting: [(due: Double, job: TransferJob)] = []
        var started = 0  // jobs begun and not ended, running or waiting

        func begin(_ job: TransferJob) {
            guard let handle = job.beginAttempt() else { started -= 1; return }
            multi.add(handle)
            running[handle.raw] = (job, handle)
        }

        while true {
            if cancellation.isCancelled {
                for (job, handle) in running.values {
                    multi.remove(handle)
                    job.cancel()
                }
                for job in waiting.map(\.job) + queued { job.cancel() }
                afterEachRound()
                return
            }
            let now = monotonicSeconds()
            let due = waiting.filter { $0.due <= now }
            waiting.removeAll { $0.due <= now }
            for entry in due { begin(entry.job) }
            while started < max(1, maxParallel), let job = queued.popFirst() {
                started += 1
                begin(job)
            }
            afterEachRound()
            if started == 0 { return }

            multi.perform()
            var ended = multi.completed()
            let checked = monotonicSeconds()
            for (raw, entry) in running where !ended.contains(where: { $0.handle == raw }) && entry.handle.cutShortIfStalled(now: checked) {
                ended.append((raw, CURLE_OPERATION_TIMEDOUT))
            }
            var rescheduledNow = false
            for completed in ended {
                guard let (job, handle) = running.removeValue(forKey: completed.handle) else { continue }
                multi.remove(handle)
                if let delay = job.endAttempt(handle, result: completed.result) {
                    waiting.append((monotonicSeconds() + delay, job))
                    rescheduledNow = rescheduledNow || delay <= 0
                } else {
                    started -= 1
                    rescheduledNow = rescheduledNow || !queued.isEmpty
                }
            }
            afterEachRound()
            if rescheduledNow { continue }
            var wait = Self.longestWait
            if let nextDue = waiting.map(\.due).min() { wait = min(wait, max(0, nextDue - monotonicSeconds())) }
            multi.wait(milliseconds: Int((wait * 1000).rounded(.up)))
        }
    }
}

/// Seconds on a clock that only moves forward, for timing retries and progress.
func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
