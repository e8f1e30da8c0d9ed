#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A persistent pool that runs work on exactly `threadCount` threads: the calling thread plus
/// `threadCount - 1` workers created once and parked between jobs.
///
/// Jobs must not call back into the same pool (no nesting). One job runs at a time.
final class ThreadPool: @unchecked Sendable {
    /// Threads that take part in every job, the caller included.
    let threadCount: Int
    private let shared = Shared()
    private var workers: [pthread_t] = []

    /// Starts `threads - 1` workers (`threads` is clamped to at least 1).
    init(threads: Int) {
        threadCount = max(1, threads)
        for index in 1..<threadCount {
            let context = Unmanaged.passRetained(WorkerContext(shared: shared, index: index)).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { arg in
                let ctx = Unmanaged<WorkerContext>.fromOpaque(arg!).takeRetainedValue()
                ctx.shared.workerLoop(index: ctx.index)
                return nil
            }, context)
            precondition(rc == 0, "SparseEngine: cannot start worker thread (\(rc))")
            workers.append(thread)
        }
    }

    deinit {
        shared.stop()
        for t in workers { pthread_join(t, nil) }
    }

    /// Runs `body(thread)` once on each of the `threadCount` threads and waits for all.
    func runOnAllThreads(_ body: (Int) -> Void) {
        if threadCount == 1 {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { escaping in
            shared.start(escaping, workers: threadCount - 1)
            escaping(0)
            shared.waitForWorkers()
        }
    }

    /// Calls `body(index, thread)` for every index in `0..<count`, spread over the threads in
    /// contiguous chunks. Runs inline when `count` is 1 or the pool has one thread.
    func parallelFor(_ count: Int, _ body: (Int, Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || threadCount == 1 {
            for i in 0..<count { body(i, 0) }
            return
        }
        let threads = min(threadCount, count)
        runOnAllThreads { t in
            guard t < threads else { return }
            let start = count * t / threads, end = count * (t + 1) / threads
            for i in start..<end { body(i, t) }
        }
    }

    /// State shared with the workers (kept alive by them until they exit).
    ///
    /// Between jobs a worker polls for the next one for `spinPolls` rounds before sleeping on the
    /// condition variable, and the caller polls for the workers' completion the same way: a network
    /// runs hundreds of short parallel regions per inference, and a futex wake-up costs more than
    /// many of them.
    private final class Shared: @unchecked Sendable {
        /// Polls (each a lock round trip, tens of nanoseconds) before sleeping: about 100 µs.
        private static let spinPolls = 2_000
        private var mutex = pthread_mutex_t()
        private var wake = pthread_cond_t()
        private var finished = pthread_cond_t()
        private var generation = 0
        private var pending = 0
        private var sleepingWorkers = 0
        private var callerSleeping = false
        private var shutdown = false
        private var job: ((Int) -> Void)?

        init() {
            pthread_mutex_init(&mutex, nil)
            pthread_cond_init(&wake, nil)
            pthread_cond_init(&finished, nil)
        }

        deinit {
            pthread_cond_destroy(&wake)
            pthread_cond_destroy(&finished)
            pthread_mutex_destroy(&mutex)
        }

        func start(_ work: @escaping (Int) -> Void, workers: Int) {
            pthread_mutex_lock(&mutex)
            job = work
            pending = workers
            generation &+= 1
            if sleepingWorkers > 0 { pthread_cond_broadcast(&wake) }
            pthread_mutex_unlock(&mutex)
        }

        func waitForWorkers() {
            pthread_mutex_lock(&mutex)
            var polls = 0
            while pending > 0 && polls < Self.spinPolls {
                pthread_mutex_unlock(&mutex)
                polls += 1
                pthread_mutex_lock(&mutex)
            }
            while pending > 0 {
                callerSleeping = true
                pthread_cond_wait(&finished, &mutex)
            }
            callerSleeping = false
            job = nil
            pthread_mutex_unlock(&mutex)
        }

        func stop() {
            pthread_mutex_lock(&mutex)
            shutdown = true
            pthread_cond_broadcast(&wake)
            pthread_mutex_unlock(&mutex)
        }

        func workerLoop(index: Int) {
            var seen = 0
            while true {
                pthread_mutex_lock(&mutex)
                var polls = 0
                while generation == seen && !shutdown && polls < Self.spinPolls {
                    pthread_mutex_unlock(&mutex)
                    polls += 1
                    pthread_mutex_lock(&mutex)
                }
                while generation == seen && !shutdown {
                    sleepingWorkers += 1
                    pthread_cond_wait(&wake, &mutex)
                    sleepingWorkers -= 1
                }
                if shutdown {
                    pthread_mutex_unlock(&mutex)
                    return
                }
                seen = generation
                var work = job
                pthread_mutex_unlock(&mutex)
                work?(index)
                // Drop the reference before reporting completion: the job closure is only
                // borrowed (withoutActuallyEscaping) and must not outlive runOnAllThreads.
                work = nil
                pthread_mutex_lock(&mutex)
                pending -= 1
                if pending == 0 && callerSleeping { pthread_cond_signal(&finished) }
                pthread_mutex_unlock(&mutex)
            }
        }
    }

    private final class WorkerContext {
        let shared: Shared
        let index: Int
        init(shared: Shared, index: Int) {
            self.shared = shared
            self.index = index
        }
    }
}
