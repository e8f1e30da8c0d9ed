import Foundation

/// The start and end of one inference on the monotonic clock, in seconds.
public struct TimedInference: Sendable, Equatable {
    /// The stream (submitting thread) that ran it, from 0.
    public let stream: Int
    /// When the call started.
    public let start: Double
    /// When the call returned.
    public let end: Double

    /// Seconds the call took.
    public var seconds: Double { end - start }
}

/// Runs streams of back-to-back calls on their own threads until a deadline and times every call,
/// as `deepsparse.benchmark`'s stream threads do with `time.perf_counter()`.
enum StreamRunner {
    /// Calls `body(stream)` repeatedly on `streams` threads (stream 0 on the calling thread) until
    /// `seconds` have passed since the common start; every stream completes at least one call.
    /// The first error stops every stream and is rethrown.
    static func run(streams: Int, seconds: Double, _ body: @escaping @Sendable (Int) throws -> Void) throws -> [TimedInference] {
        let state = SharedState(streams: streams)
        let deadline = monotonicSeconds() + seconds
        let finished = DispatchGroup()
        for stream in 1..<max(streams, 1) {
            finished.enter()
            let thread = Thread {
                state.loop(stream: stream, until: deadline, body)
                finished.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        state.loop(stream: 0, until: deadline, body)
        finished.wait()
        return try state.result()
    }

    /// What the stream threads share: their records and the first error.
    private final class SharedState: @unchecked Sendable {
        private let lock = NSLock()
        private var records: [[TimedInference]]
        private var failure: Error?

        init(streams: Int) { records = Array(repeating: [], count: max(streams, 1)) }

        private var failed: Bool {
            lock.lock(); defer { lock.unlock() }
            return failure != nil
        }

        func loop(stream: Int, until deadline: Double, _ body: (Int) throws -> Void) {
            var mine: [TimedInference] = []
            mine.reserveCapacity(1024)
            repeat {
                let start = monotonicSeconds()
                do {
                    try body(stream)
                } catch {
                    lock.lock()
                    if failure == nil { failure = error }
                    lock.unlock()
                    break
                }
                let end = monotonicSeconds()
                mine.append(TimedInference(stream: stream, start: start, end: end))
                if end >= deadline { break }
            } while !failed
            lock.lock()
            records[stream] = mine
            lock.unlock()
        }

        func result() throws -> [TimedInference] {
            lock.lock(); defer { lock.unlock() }
            if let failure { throw failure }
            return records.flatMap { $0 }
        }
    }
}

/// Seconds on the monotonic clock (arbitrary origin), with nanosecond resolution.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}
