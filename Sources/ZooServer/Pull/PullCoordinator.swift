import Foundation
import ZooStore
import ZooStub
import ZooTransfer

/// Runs the daemon's pulls: one flight per model and file selection however many clients ask at once (the
/// store's lease then keeps other processes from downloading it again), each on a pull thread; records them in
/// the journal so that SIGTERM can park them and the next start resumes them.
final class PullCoordinator: @unchecked Sendable {
    private let pool: WorkerPool
    private let journal: PullJournal
    private let metrics: ServerMetrics
    private let lock = NSLock()
    private var flights: [String: PullFlight] = [:]
    private var parking = false

    init(pool: WorkerPool, journal: PullJournal, metrics: ServerMetrics) {
        self.pool = pool
        self.journal = journal
        self.metrics = metrics
    }

    /// Pulls running now.
    var inFlight: Int { lock.withLock { flights.count } }

    /// The flight for `request`: the one running for the same model and files, or a new one.
    func flight(for request: PullRequest) throws -> PullFlight {
        lock.lock()
        if parking {
            lock.unlock()
            throw APIError(.serviceUnavailable, code: "api.shuttingDown", "the daemon is shutting down; pull again once it has restarted (or run zoo without it)")
        }
        if let running = flights[request.flightKey] {
            lock.unlock()
            return running
        }
        let flight = PullFlight(request: request)
        flights[request.flightKey] = flight
        lock.unlock()
        journal.started(request)
        pool.enqueue { [self] session in run(flight, session: session) }
        return flight
    }

    /// Starts again the pulls the journal records as unfinished (parked by SIGTERM or cut short by a crash).
    func resumeUnfinished() {
        for request in journal.unfinished() { _ = try? flight(for: request) }
    }

    /// Waits up to `grace` seconds for the running pulls, then cancels the transfers of those left (their partial
    /// files stay, the journal keeps them) and waits for them to wind down.
    func park(grace: Double, cancellation: TransferCancellation) async {
        lock.withLock { parking = true }
        let deadline = Date().addingTimeInterval(grace)
        while inFlight > 0 && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        guard inFlight > 0 else { return }
        cancellation.cancel()
        while inFlight > 0 { try? await Task.sleep(for: .milliseconds(20)) }
    }

    private func run(_ flight: PullFlight, session: Result<StoreSession, any Error>) {
        let outcome: Result<PullReport, APIError>
        do {
            outcome = .success(try pull(flight, session: session.get()))
        } catch {
            outcome = .failure(APIError.from(error))
        }
        if case .failure(let cause) = outcome, lock.withLock({ parking }) {
            let error = APIError(.serviceUnavailable, code: "api.shuttingDown", "the daemon shut down during the pull; it resumes from the bytes already fetched when the daemon restarts (\(cause.message))")
            lock.withLock { flights[flight.request.flightKey] = nil }
            flight.finish(.failure(error))
            return
        }
        journal.ended(flight.request)
        lock.withLock { flights[flight.request.flightKey] = nil }
        flight.finish(outcome)
    }

    private func pull(_ flight: PullFlight, session: StoreSession) throws -> PullReport {
        let request = flight.request
        let stub = try Stub(parsing: request.stub)
        let registries = try session.registries(override: request.registry, offline: request.offline)
        let (model, problems) = try session.model(forPull: stub, registries: registries)
        for problem in problems { flight.publish(JSONText.line(["event": "warning", "message": "registry \(problem)"])) }
        let report = try session.store.pull(
            model, stub: stub.description, selection: request.selection, fetching: session.fetching(registries)
        ) { event in
            flight.publish(JSONText.line(event.jsonObject))
        }
        if report.downloaded.isEmpty {
            metrics.hit("pull")
        } else {
            metrics.miss("pull")
            metrics.downloaded(report.bytesDownloaded)
        }
        return report
    }
}
