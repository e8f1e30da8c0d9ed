import Foundation
import Hummingbird

/// `GET /healthz` (is the daemon up, which version, since when) and `GET /metrics` (Prometheus).
struct HealthRoutes {
    let state: ServerState

    func add(to router: Router<ServerContext>) {
        router.get("/healthz") { _, _ in
            JSONText.response([
                "status": "ok", "version": state.configuration.version, "pid": Int(getpid()),
                "home": state.configuration.home.url.path, "uptime_seconds": Date().timeIntervalSince(state.started),
            ])
        }
        router.get("/metrics") { _, _ in
            let cacheBytes = try? await state.queries.run { session in try session.store.cacheBytes() }
            let text = state.metrics.exposition(
                pullsInFlight: state.coordinator.inFlight, benchJobs: state.bench.counts(), cacheBytes: cacheBytes)
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
