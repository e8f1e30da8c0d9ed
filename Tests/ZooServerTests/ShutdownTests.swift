import Foundation
import XCTest
import ZooDigest
import ZooServer
import ZooTestSupport

/// `zoo serve` as a process: SIGTERM parks a running pull (its partial file kept, the cache consistent) and
/// the next start resumes it from the bytes already fetched.
final class ShutdownTests: XCTestCase {
    func testSigtermParksARunningPullAndTheNextStartResumesIt() throws {
        let model = try TinyModel(size: 4_000_000)
        let upstream = try FaultServer(root: model.mirror.root)
        defer { upstream.stop() }
        // The first request for model.onnx sends half of it, then stalls for a minute.
        try model.mirror.update(TinyModel.repoName) { $0.urls["model.onnx"] = upstream.baseURL + "/stall/60/" + model.mirror.path($0, "model.onnx") }
        let home = TemporaryDirectory()
        let environment = ["ZOO_STALL_TIMEOUT": "120", "ZOO_BACKOFF": "0.05"]
        let arguments = ["serve", "--registry", upstream.baseURL, "--grace", "0.5"]
        let first = try ZooBinary.start(arguments, home: home.url, environment: environment, output: home.url.appendingPathComponent("first.log"))
        let socket = home.url.appendingPathComponent("zoo.sock").path
        try ZooBinary.wait("the daemon listens") { FileManager.default.fileExists(atPath: socket) }

        let client = DaemonClient(endpoint: .unix(socket))
        let lines = Lines()
        let puller = Thread {
            _ = try? client.stream("/v1/pull", ["stub": TinyModel.stub]) { line in
                lines.append((try? JSONSerialization.jsonObject(with: line) as? [String: Any]) ?? [:])
            }
            lines.finish()
        }
        puller.start()
        let partials = home.url.appendingPathComponent("tmp/partial")
        try ZooBinary.wait("half of model.onnx is on disk") {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: partials.path)) ?? []
            return names.contains { name in
                ((try? FileManager.default.attributesOfItem(atPath: partials.appendingPathComponent(name).path)[.size] as? Int) ?? 0) >= 1_000_000
            }
        }

        kill(first.processIdentifier, SIGTERM)
        try ZooBinary.wait("the daemon exits", timeout: 20) { !first.isRunning }
        let firstLog = (try? String(contentsOf: home.url.appendingPathComponent("first.log"), encoding: .utf8)) ?? ""
        XCTAssertEqual(first.terminationStatus, 0, firstLog)
        try ZooBinary.wait("the pull's stream ends") { lines.finished }
        let last = lines.all.last ?? [:]
        XCTAssertEqual(last["event"] as? String, "error", "\(lines.all)")
        XCTAssertEqual((last["error"] as? [String: Any])?["code"] as? String, "api.shuttingDown")
        XCTAssertFalse(FileManager.default.fileExists(atPath: socket), "the socket is removed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: home.url.appendingPathComponent("models/\(TinyModel.namespace)/\(TinyModel.repoName)").path),
                       "no half-made model directory")
        let journal = try String(contentsOf: home.url.appendingPathComponent("serve/pulls.json"), encoding: .utf8)
        XCTAssertTrue(journal.contains(TinyModel.stub.replacingOccurrences(of: "/", with: "\\/")) || journal.contains(TinyModel.stub), journal)
        let ls = try ZooBinary.run(["ls", "--json"], home: home.url, environment: ["ZOO_NO_DAEMON": "1"])
        XCTAssertEqual(ls.status, 0, ls.stderr)

        let second = try ZooBinary.start(arguments, home: home.url, environment: environment, output: home.url.appendingPathComponent("second.log"))
        defer {
            kill(second.processIdentifier, SIGTERM)
            second.waitUntilExit()
        }
        let onnx = home.url.appendingPathComponent("models/\(TinyModel.namespace)/\(TinyModel.repoName)/model.onnx")
        try ZooBinary.wait("the resumed pull finishes", timeout: 60) { FileManager.default.fileExists(atPath: onnx.path) }
        XCTAssertEqual(SHA256.hex(of: try Data(contentsOf: onnx)), SHA256.hex(of: model.files["model.onnx"]!))
        let ranges = try upstream.requests().filter { $0.path.hasSuffix("model.onnx") }.compactMap(\.range)
        XCTAssertTrue(ranges.contains { $0.hasPrefix("bytes=") && !$0.hasPrefix("bytes=0-") }, "resumed with Range: \(ranges)")
        try ZooBinary.wait("the journal is empty") {
            ((try? String(contentsOf: home.url.appendingPathComponent("serve/pulls.json"), encoding: .utf8)) ?? "") == "[]"
        }
    }
}

/// The NDJSON lines a streaming client received, and whether its stream ended.
private final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [[String: Any]] = []
    private var done = false

    func append(_ line: [String: Any]) { lock.withLock { lines.append(line) } }
    func finish() { lock.withLock { done = true } }
    var all: [[String: Any]] { lock.withLock { lines } }
    var finished: Bool { lock.withLock { done } }
}
