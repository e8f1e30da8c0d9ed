import Foundation
import ZooStore

/// One pull in progress that any number of clients follow: each subscriber gets the NDJSON event lines from
/// the moment it joins, then the outcome. A subscriber that joins after the end gets the outcome at once.
final class PullFlight: @unchecked Sendable {
    /// What a follower receives.
    enum Update: Sendable {
        /// One NDJSON line (without the newline): a store event or a warning.
        case line(String)
        /// The pull ended.
        case finished(Result<PullReport, APIError>)
    }

    let request: PullRequest
    private let lock = NSLock()
    private var followers: [Int: AsyncStream<Update>.Continuation] = [:]
    private var nextFollower = 0
    private var result: Result<PullReport, APIError>?

    init(request: PullRequest) { self.request = request }

    /// The updates from now on, ending with `.finished`.
    func follow() -> AsyncStream<Update> {
        let (stream, continuation) = AsyncStream.makeStream(of: Update.self, bufferingPolicy: .bufferingNewest(4096))
        lock.lock()
        if let result {
            lock.unlock()
            continuation.yield(.finished(result))
            continuation.finish()
            return stream
        }
        let id = nextFollower
        nextFollower += 1
        followers[id] = continuation
        lock.unlock()
        continuation.onTermination = { [weak self] _ in self?.drop(id) }
        return stream
    }

    /// Waits for the outcome.
    func outcome() async -> Result<PullReport, APIError> {
        for await update in follow() {
            if case .finished(let outcome) = update { return outcome }
        }
        return .failure(APIError(.internalServerError, code: "api.internal", "the pull ended without an outcome"))
    }

    /// Sends `line` to every follower.
    func publish(_ line: String) {
        lock.lock()
        let current = Array(followers.values)
        lock.unlock()
        for follower in current { follower.yield(.line(line)) }
    }

    /// Ends the flight with `outcome`.
    func finish(_ outcome: Result<PullReport, APIError>) {
        lock.lock()
        result = outcome
        let current = Array(followers.values)
        followers.removeAll()
        lock.unlock()
        for follower in current {
            follower.yield(.finished(outcome))
            follower.finish()
        }
    }

    private func drop(_ id: Int) {
        lock.lock()
        followers[id] = nil
        lock.unlock()
    }
}
