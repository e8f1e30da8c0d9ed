import Foundation
import XCTest
import ZooCatalog
import ZooServer
import ZooTestSupport

/// A `zoo serve` running in this process on a temporary home: its Unix socket, and TCP on a loopback port,
/// with `registry` as its upstream. Stopped (gracefully) by ``stop()``.
final class DaemonHarness: @unchecked Sendable {
    let home = TemporaryDirectory()
    let server: ZooServer
    let port: Int
    private let finished = DispatchSemaphore(value: 0)
    private let ready = DispatchSemaphore(value: 0)

    /// Starts a daemon; `listenHost` and `token` set its TCP listener, `publicURL` its `--public-url`.
    init(registry: String = "", listenHost: String = "127.0.0.1", token: String? = nil, grace: Double = 10, publicURL: String? = nil) throws {
        port = try LoopbackPort.unused()
        let configuration = ServerConfiguration(
            home: ZooHome(url: home.url), tcp: ListenAddress(host: listenHost, port: port), token: token, registries: registry,
            shutdownGrace: grace, version: "test", publicURL: publicURL)
        server = try ZooServer(configuration: configuration)
        let server = self.server, ready = self.ready, finished = self.finished
        Task {
            do {
                try await server.run(handlingSignals: false) { _ in ready.signal() }
            } catch {
                XCTFail("the daemon stopped: \(error)")
                ready.signal()
            }
            finished.signal()
        }
        guard ready.wait(timeout: .now() + 30) == .success else { throw TestServerError("the daemon did not start in 30 s") }
    }

    /// A client of the daemon's Unix socket.
    var unix: DaemonClient { DaemonClient(endpoint: .unix(home.url.appendingPathComponent("zoo.sock").path)) }

    /// A client of the daemon's TCP listener (on 127.0.0.1 whatever it listens on).
    func tcp(token: String? = nil) -> DaemonClient { DaemonClient(endpoint: .tcp(host: "127.0.0.1", port: port), token: token) }

    /// The TCP base URL.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Shuts the daemon down as SIGTERM does and waits for it.
    func stop() {
        let server = self.server
        Task { await server.shutdown() }
        _ = finished.wait(timeout: .now() + 30)
    }
}

extension DaemonClient.Response {
    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }
}
