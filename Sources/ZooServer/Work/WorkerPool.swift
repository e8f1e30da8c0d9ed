import Foundation

/// A fixed set of threads that run blocking store and catalog work off the event loops. Each thread opens its
/// own ``StoreSession`` (one SQLite connection per thread) when it starts (`eager`) or the first time it needs
/// one, and keeps it; a session that failed to open is tried again with the next job.
final class WorkerPool: @unchecked Sendable {
    typealias Job = @Sendable (Result<StoreSession, any Error>) -> Void

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var stopping = false
    private let makeSession: @Sendable () throws -> StoreSession

    /// Starts `threads` threads named `name`, whose sessions `makeSession` opens; with `eager`, at once, so that
    /// the first burst of requests does not wait for connections to open (the catalog's checks on open).
    init(name: String, threads: Int, eager: Bool = false, makeSession: @escaping @Sendable () throws -> StoreSession) {
        self.makeSession = makeSession
        for index in 0..<threads {
            let thread = Thread { self.work(eager: eager) }
            thread.name = "\(name)-\(index)"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// Runs `body` on one of the threads with its session and returns what it returns.
    func run<T: Sendable>(_ body: @escaping @Sendable (StoreSession) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue { session in
                continuation.resume(with: Result { try body(session.get()) })
            }
        }
    }

    /// Queues `job`; it runs on the first free thread.
    func enqueue(_ job: @escaping Job) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads end once the queued jobs are done.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count {
            if stopping { return nil }
            condition.wait()
        }
        let job = jobs[head]
        head += 1
        if head > 1024 && head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }

    private func work(eager: Bool) {
        var session = eager ? try? makeSession() : nil
        while let job = next() {
            if session == nil {
                do {
                    session = try makeSession()
                } catch {
                    job(.failure(error))
                    continue
                }
            }
            job(.success(session!))
        }
    }
}
