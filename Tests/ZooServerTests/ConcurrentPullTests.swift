import Foundation
import XCTest
import ZooDigest
import ZooServer
import ZooTestSupport

/// Many clients asking the daemon for the same uncached model at once: one upstream download, every client
/// succeeds, the files verify.
final class ConcurrentPullTests: XCTestCase {
    func testFiftyClientsPullingOneUncachedStubCauseOneUpstreamDownload() throws {
        let model = try TinyModel(size: 3_000_000)
        let upstream = try FaultServer(root: model.mirror.root)
        defer { upstream.stop() }
        let daemon = try DaemonHarness(registry: upstream.baseURL)
        defer { daemon.stop() }

        let clients = 50
        let results = Results(count: clients)
        let threads = (0..<clients).map { index in
            Thread {
                let client = index.isMultiple(of: 2) ? daemon.unix : daemon.tcp()
                var lines: [[String: Any]] = []
                let status = try? client.stream("/v1/pull", ["stub": TinyModel.stub]) { line in
                    lines.append((try? JSONSerialization.jsonObject(with: line) as? [String: Any]) ?? ["unparsed": true])
                }
                results.set(index, status: status ?? -1, lines: lines)
            }
        }
        threads.forEach { $0.start() }
        try results.waitForAll(timeout: 120)

        for index in 0..<clients {
            let (status, lines) = results.get(index)
            XCTAssertEqual(status, 200, "client \(index)")
            XCTAssertEqual(lines.last?["event"] as? String, "done", "client \(index) ended with \(lines.last ?? [:])")
            XCTAssertEqual(lines.last?["complete"] as? Bool, true, "client \(index)")
        }
        let downloads = try upstream.requests().filter { $0.method == "GET" && $0.path.hasSuffix("/model.onnx") }
        XCTAssertEqual(downloads.count, 1, "one upstream download of model.onnx: \(downloads)")

        let directory = daemon.home.url.appendingPathComponent("models/\(TinyModel.namespace)/\(TinyModel.repoName)")
        for (name, data) in model.unpacked {
            XCTAssertEqual(SHA256.hex(of: try Data(contentsOf: directory.appendingPathComponent(name))), SHA256.hex(of: data), name)
        }
        let verify = try daemon.unix.post("/v1/verify", ["stub": TinyModel.stub, "files": true])
        XCTAssertEqual(verify.status, 200, verify.text)
        XCTAssertEqual(verify.object?["ok"] as? Bool, true, verify.text)

        let metrics = try daemon.unix.get("/metrics").text
        XCTAssertTrue(metrics.contains("zoo_http_requests_total{method=\"POST\",route=\"/v1/pull\",status=\"200\"} 50"), metrics)
        XCTAssertTrue(metrics.contains("zoo_cache_misses_total{kind=\"pull\"} 1"), metrics)
    }
}

/// The clients' outcomes, filled in from their threads.
private final class Results: @unchecked Sendable {
    private let condition = NSCondition()
    private var outcomes: [Int: (Int, [[String: Any]])] = [:]
    private let count: Int

    init(count: Int) { self.count = count }

    func set(_ index: Int, status: Int, lines: [[String: Any]]) {
        condition.lock()
        outcomes[index] = (status, lines)
        condition.broadcast()
        condition.unlock()
    }

    func get(_ index: Int) -> (Int, [[String: Any]]) {
        condition.withLock { outcomes[index] ?? (-1, []) }
    }

    func waitForAll(timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while outcomes.count < count {
            guard condition.wait(until: deadline) else { throw TestServerError("only \(outcomes.count) of \(count) clients finished in \(timeout) s") }
        }
    }
}
