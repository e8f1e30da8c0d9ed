import Foundation
import XCTest
import ZooServer
import ZooTestSupport

/// `zoo serve` as a process of the built binary on `home`, its output in `home/<log>`; ``stop()`` sends SIGTERM and
/// waits for it to exit.
final class DaemonProcess {
    let home: URL
    let process: Process
    let log: URL

    /// Starts `zoo serve ARGUMENTS` and waits until it answers on its socket.
    init(home: URL, arguments: [String] = [], environment: [String: String] = [:], log name: String = "serve.log") throws {
        self.home = home
        log = home.appendingPathComponent(name)
        process = try ZooBinary.start(["serve"] + arguments, home: home, environment: environment, output: log)
        let client = self.client
        try ZooBinary.wait("zoo serve answers") { (try? client.get("/healthz").status) == 200 || !process.isRunning }
        guard process.isRunning else { throw TestServerError("zoo serve exited at start: \(output)") }
    }

    /// A client of its Unix socket.
    var client: DaemonClient { DaemonClient(endpoint: .unix(home.appendingPathComponent("zoo.sock").path)) }

    /// What it printed so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM and waits for the exit; returns the exit status.
    @discardableResult
    func stop() throws -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        try ZooBinary.wait("zoo serve exits", timeout: 30) { !process.isRunning }
        return process.terminationStatus
    }
}
