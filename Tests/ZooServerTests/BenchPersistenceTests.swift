import Foundation
import XCTest
import ZooServer
import ZooTestSupport

/// Benchmark jobs are kept in the catalog: after `zoo serve` restarts, finished jobs are still answered for,
/// queued jobs run, and the job that was running is reported interrupted.
final class BenchPersistenceTests: XCTestCase {
    private var home: TemporaryDirectory!
    private var model: String!

    override func setUpWithError() throws {
        home = TemporaryDirectory()
        let url = home.url.appendingPathComponent("relu.onnx")
        let relu = ONNXTestModel(
            nodes: [ONNXTestModel.Node("Relu", ["x"], ["y"])],
            inputs: [ONNXTestModel.Value("x", dims: [1, 64])], outputs: [ONNXTestModel.Value("y", dims: [1, 64])])
        try relu.data().write(to: url)
        model = url.path
    }

    func testAFinishedJobIsAnsweredForAfterARestart() throws {
        let first = try DaemonProcess(home: home.url, log: "first.log")
        let id = try submit(to: first.client, seconds: 0.3)
        let done = try wait(for: id, on: first.client, until: ["done", "failed"])
        XCTAssertEqual(done["status"] as? String, "done", "\(done)")
        XCTAssertEqual(try first.stop(), 0, first.output)

        let second = try DaemonProcess(home: home.url, log: "second.log")
        defer { try? second.stop() }
        let after = try XCTUnwrap(try second.client.get("/v1/bench/\(id)").object)
        for key in ["status", "model", "model_path", "core_set", "submitted_at", "started_at", "finished_at", "time", "warmup_time", "num_cores"] {
            XCTAssertEqual(after[key] as? NSObject, done[key] as? NSObject, key)
        }
        let result = try XCTUnwrap(after["result"] as? [String: Any])
        XCTAssertEqual(result as NSDictionary, try XCTUnwrap(done["result"] as? [String: Any]) as NSDictionary)
        XCTAssertEqual((try second.client.get("/v1/bench").object?["jobs"] as? [[String: Any]])?.map { $0["id"] as? String }, [id])
    }

    func testTheRunningJobIsInterruptedByARestartAndTheQueuedOneRunsAfterIt() throws {
        let first = try DaemonProcess(home: home.url, log: "first.log")
        let long = try submit(to: first.client, seconds: 120)
        let queued = try submit(to: first.client, seconds: 0.3)
        _ = try wait(for: long, on: first.client, until: ["running"])
        XCTAssertEqual(try first.client.get("/v1/bench/\(queued)").object?["status"] as? String, "queued")
        XCTAssertEqual(try first.stop(), 0, first.output)

        let second = try DaemonProcess(home: home.url, log: "second.log")
        defer { try? second.stop() }
        let interrupted = try XCTUnwrap(try second.client.get("/v1/bench/\(long)").object)
        XCTAssertEqual(interrupted["status"] as? String, "interrupted", "\(interrupted)")
        XCTAssertEqual(interrupted["error"] as? String, "the daemon stopped while the benchmark ran; submit it again")
        XCTAssertNotNil(interrupted["started_at"] as? Double)
        XCTAssertNil(interrupted["result"])
        let ran = try wait(for: queued, on: second.client, until: ["done", "failed"])
        XCTAssertEqual(ran["status"] as? String, "done", "\(ran)")
        XCTAssertNotNil((ran["result"] as? [String: Any])?["benchmark_result"])
        let metrics = String(decoding: try second.client.get("/metrics").body, as: UTF8.self)
        XCTAssertTrue(metrics.contains("zoo_bench_jobs{status=\"interrupted\"} 1"), metrics)
        XCTAssertTrue(metrics.contains("zoo_bench_jobs{status=\"done\"} 1"), metrics)
    }

    /// Queues a benchmark of the Relu model on CPU 0; returns its id.
    private func submit(to client: DaemonClient, seconds: Double) throws -> String {
        let response = try client.post("/v1/bench", ["model": model!, "core_set": "0", "time": seconds, "warmup_time": 0.1])
        XCTAssertEqual(response.status, 202, response.text)
        return try XCTUnwrap(response.object?["id"] as? String, response.text)
    }

    /// The job once its status is one of `statuses`.
    private func wait(for id: String, on client: DaemonClient, until statuses: Set<String>) throws -> [String: Any] {
        var job: [String: Any] = [:]
        try ZooBinary.wait("job \(id) is \(statuses.sorted().joined(separator: " or "))") {
            job = (try? client.get("/v1/bench/\(id)").object) ?? [:]
            return statuses.contains(job["status"] as? String ?? "")
        }
        return job
    }
}
