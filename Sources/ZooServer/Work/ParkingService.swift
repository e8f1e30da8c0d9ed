import ServiceLifecycle

/// The daemon's part in a graceful shutdown (SIGTERM, SIGINT): it stops taking pulls and benchmarks, waits the
/// grace period for running pulls, then cancels the rest, whose partial files and journal entries stay so the
/// next start resumes them. It runs before the listeners close, so streams of parked pulls end with an error
/// line rather than being cut.
struct ParkingService: Service {
    let state: ServerState

    func run() async throws {
        try? await gracefulShutdown()
        state.bench.stop()
        await state.coordinator.park(grace: state.configuration.shutdownGrace, cancellation: state.cancellation)
    }
}
