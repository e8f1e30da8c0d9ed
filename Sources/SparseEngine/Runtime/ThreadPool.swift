import CSparseEngineCPU
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A persistent pool that runs work on exactly `threadCount` threads: the calling thread plus
/// `threadCount - 1` workers created once and parked between jobs.
///
/// Between jobs a worker spins on the job counter for `spinPolls` polls (tens of microseconds,
/// yielding now and then) before sleeping on a condition variable, and the caller waits for the workers the
/// same way: a network runs hundreds of short parallel regions per inference and a futex wake-up
/// costs more than many of them. `parallelFor` gives each thread a contiguous range and lets a
/// thread that finishes early take what is left of the others', so a thread the OS preempts (a
/// busy machine) does not hold the others up. Nor does one that has not started: a worker joins a
/// job only while it is open, and the caller, once the work is done, closes it and waits only for the
/// workers that joined (on a shared machine a descheduled worker would otherwise stall every layer
/// for a scheduler time slice).
///
/// Jobs must not call back into the same pool (no nesting). One job runs at a time.
final class ThreadPool: @unchecked Sendable {
    /// Threads that take part in every job, the caller included.
    let threadCount: Int
    private let shared: Shared
    private var workers: [pthread_t] = []

    /// Starts `threads - 1` workers (`threads` is clamped to at least 1).
    init(threads: Int) {
        threadCount = max(1, threads)
        shared = Shared(threads: threadCount)
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

    /// Runs `body(0)` on the calling thread and `body(t)` on each worker t that joins before the caller is
    /// done, then waits for those. A worker the OS has not run by then skips the job, so `body` must not
    /// count on every thread taking part (`parallelFor` has the others take over its share).
    private func runOnJoiningThreads(_ body: (Int) -> Void) {
        if threadCount == 1 {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { escaping in
            shared.start(escaping)
            escaping(0)
            shared.waitForWorkers()
        }
    }

    /// Calls `body(index, thread)` for every index in `0..<count`. Thread t owns the t-th contiguous
    /// share of the indices; a thread that has finished its share takes indices from the others'
    /// (at once when their owner has started, after a short wait otherwise). Runs inline when
    /// `count` is 1 or the pool has one thread.
    func parallelFor(_ count: Int, _ body: (Int, Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || threadCount == 1 {
            for i in 0..<count { body(i, 0) }
            return
        }
        let threads = min(threadCount, count)
        let claims = shared.claims
        for t in 0..<threads { zoo_atomic_store(claims.counter(t), 0) }
        runOnJoiningThreads { thread in
            guard thread < threads else { return }
            /// Runs indices of `owner`'s share until none is left. A thief leaves a share its owner has
            /// not started alone for `waitPolls` polls (normally the owner starts within microseconds),
            /// then takes it all, so a thread the OS has descheduled holds nobody up for long.
            func runShare(_ owner: Int, waitPolls: Int) {
                let start = count * owner / threads, length = count * (owner + 1) / threads - start
                let counter = claims.counter(owner)
                var polls = 0
                while zoo_atomic_load(counter) == 0 && polls < waitPolls {
                    Shared.pause(polls)
                    polls += 1
                }
                while true {
                    let claimed = zoo_atomic_fetch_add(counter, 1)
                    if claimed >= length { return }
                    body(start + claimed, thread)
                }
            }
            runShare(thread, waitPolls: 0)
            for offset in 1..<threads { runShare((thread + offset) % threads, waitPolls: Shared.stealWaitPolls) }
        }
    }

    /// Per-thread claim counters for `parallelFor`, each on its own cache line.
    private final class Claims {
        private static let stride = 128 / MemoryLayout<Int>.size
        private let storage: UnsafeMutablePointer<Int>

        init(threads: Int) {
            storage = .allocate(capacity: threads * Self.stride)
            storage.initialize(repeating: 0, count: threads * Self.stride)
        }

        deinit { storage.deallocate() }

        func counter(_ thread: Int) -> UnsafeMutablePointer<Int> { storage + thread * Self.stride }
    }

    /// State shared with the workers (kept alive by them until they exit). `generation`, `entry`, `exited`,
    /// `sleepingWorkers` and `callerSleeping` are read and written atomically; the mutex only guards
    /// going to sleep and waking, so a spinning thread never holds a lock another thread needs.
    ///
    /// `entry` admits workers to the current job: the job's generation (31 bits, from bit 32), a closed
    /// flag (bit 31) and the number of workers that joined (the low bits). A worker joins by incrementing
    /// the count while the generation is its job's and the flag is clear; the caller sets the flag when the
    /// work is done and waits until `exited` reaches the count.
    private final class Shared: @unchecked Sendable {
        /// Polls before sleeping, each a PAUSE and an atomic load, with a `sched_yield` every
        /// `yieldEvery` so that a spinning thread gives way to one with work when threads outnumber
        /// cores: tens of microseconds in all.
        private static let spinPolls = 4_000
        private static let yieldEvery = 32
        /// Polls a thief waits for the owner of an unstarted share (a few microseconds).
        static let stealWaitPolls = 256

        /// One poll of a spin-wait.
        static func pause(_ polls: Int) {
            zoo_cpu_relax()
            if polls % yieldEvery == yieldEvery - 1 { sched_yield() }
        }
        let claims: Claims
        private var mutex = pthread_mutex_t()
        private var wake = pthread_cond_t()
        private var finished = pthread_cond_t()
        /// generation, entry, sleepingWorkers, callerSleeping, shutdown, exited.
        private let words: UnsafeMutablePointer<Int>
        private var generation: UnsafeMutablePointer<Int> { words }
        private var entry: UnsafeMutablePointer<Int> { words + 1 }
        private var sleepingWorkers: UnsafeMutablePointer<Int> { words + 2 }
        private var callerSleeping: UnsafeMutablePointer<Int> { words + 3 }
        private var shutdown: UnsafeMutablePointer<Int> { words + 4 }
        private var exited: UnsafeMutablePointer<Int> { words + 5 }
        private static let closed = 1 << 31
        private static let countMask = closed - 1
        /// The generation as `entry` holds it.
        private static func entryGeneration(_ generation: Int) -> Int { (generation & 0x7FFF_FFFF) << 32 }
        /// Written before `generation` is bumped and read after it is seen, so workers see it whole.
        private var job: ((Int) -> Void)?

        init(threads: Int) {
            claims = Claims(threads: threads)
            words = .allocate(capacity: 6)
            words.initialize(repeating: 0, count: 6)
            pthread_mutex_init(&mutex, nil)
            pthread_cond_init(&wake, nil)
            pthread_cond_init(&finished, nil)
        }

        deinit {
            pthread_cond_destroy(&wake)
            pthread_cond_destroy(&finished)
            pthread_mutex_destroy(&mutex)
            words.deallocate()
        }

        func start(_ work: @escaping (Int) -> Void) {
            job = work
            zoo_atomic_store(exited, 0)
            zoo_atomic_store(entry, Self.entryGeneration(zoo_atomic_load(generation) + 1))
            zoo_atomic_fetch_add(generation, 1)
            // A worker about to sleep re-checks `generation` after counting itself as sleeping.
            if zoo_atomic_load(sleepingWorkers) > 0 {
                pthread_mutex_lock(&mutex)
                pthread_cond_broadcast(&wake)
                pthread_mutex_unlock(&mutex)
            }
        }

        /// Closes the job to workers that have not joined it and waits for those that have.
        func waitForWorkers() {
            let joined = zoo_atomic_fetch_or(entry, Self.closed) & Self.countMask
            var polls = 0
            while zoo_atomic_load(exited) < joined && polls < Self.spinPolls {
                Self.pause(polls)
                polls += 1
            }
            if zoo_atomic_load(exited) < joined {
                pthread_mutex_lock(&mutex)
                zoo_atomic_store(callerSleeping, 1)
                while zoo_atomic_load(exited) < joined { pthread_cond_wait(&finished, &mutex) }
                zoo_atomic_store(callerSleeping, 0)
                pthread_mutex_unlock(&mutex)
            }
            job = nil
        }

        /// Joins job `generation` if it is still open.
        private func join(_ generation: Int) -> Bool {
            while true {
                let state = zoo_atomic_load(entry)
                guard state & ~(Self.closed | Self.countMask) == Self.entryGeneration(generation), state & Self.closed == 0 else { return false }
                if zoo_atomic_compare_exchange(entry, state, state + 1) != 0 { return true }
            }
        }

        func stop() {
            pthread_mutex_lock(&mutex)
            zoo_atomic_store(shutdown, 1)
            pthread_cond_broadcast(&wake)
            pthread_mutex_unlock(&mutex)
        }

        func workerLoop(index: Int) {
            var seen = 0
            while true {
                var polls = 0
                while zoo_atomic_load(generation) == seen && zoo_atomic_load(shutdown) == 0 && polls < Self.spinPolls {
                    Self.pause(polls)
                    polls += 1
                }
                if zoo_atomic_load(generation) == seen && zoo_atomic_load(shutdown) == 0 {
                    pthread_mutex_lock(&mutex)
                    zoo_atomic_fetch_add(sleepingWorkers, 1)
                    while zoo_atomic_load(generation) == seen && zoo_atomic_load(shutdown) == 0 {
                        pthread_cond_wait(&wake, &mutex)
                    }
                    zoo_atomic_fetch_add(sleepingWorkers, -1)
                    pthread_mutex_unlock(&mutex)
                }
                if zoo_atomic_load(shutdown) != 0 { return }
                seen = zoo_atomic_load(generation)
                // A job already done without this worker is skipped: the caller no longer waits for it.
                guard join(seen) else { continue }
                var work = job
                work?(index)
                // Drop the reference before reporting completion: the job closure is only
                // borrowed (withoutActuallyEscaping) and must not outlive runOnJoiningThreads.
                work = nil
                zoo_atomic_fetch_add(exited, 1)
                if zoo_atomic_load(callerSleeping) != 0 {
                    pthread_mutex_lock(&mutex)
                    pthread_cond_signal(&finished)
                    pthread_mutex_unlock(&mutex)
                }
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
