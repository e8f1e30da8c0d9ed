import Foundation
import XCTest
import ZooServer
import ZooTestSupport

/// `/v1/ls`, `/v1/verify`, `/v1/rm`, `/v1/gc`, the benchmark queue, `/healthz` and the errors of the REST API.
final class CacheAndBenchRoutesTests: XCTestCase {
    func testTheCacheRoutesListVerifyRemoveAndCollect() throws {
        let model = try TinyModel()
        let upstream = try NginxServer(root: model.mirror.root)
        defer { upstream.stop() }
        let daemon = try DaemonHarness(registry: upstream.baseURL)
        defer { daemon.stop() }
        let client = daemon.unix

        XCTAssertEqual(try client.get("/healthz").object?["status"] as? String, "ok")
        XCTAssertEqual(try client.get("/v1/ls").text, "[]\n")
        XCTAssertEqual(try client.post("/v1/pull", ["stub": TinyModel.stub]).status, 200)
        let listed = try XCTUnwrap(try JSONSerialization.jsonObject(with: client.get("/v1/ls").body) as? [[String: Any]])
        XCTAssertEqual(listed.map { $0["repo_name"] as? String }, [TinyModel.repoName])
        XCTAssertEqual(listed.first?["complete"] as? Bool, true)
        let recipes = try XCTUnwrap(try JSONSerialization.jsonObject(with: client.get("/v1/ls?recipes=true").body) as? [[String: Any]])
        XCTAssertEqual(recipes.map { $0["name"] as? String }, ["recipe.md"])
        XCTAssertEqual(try client.post("/v1/verify", ["stub": TinyModel.stub]).object?["ok"] as? Bool, true)

        let notCached = try client.post("/v1/verify", ["stub": "zoo:resnet_v1-50-imagenet-pruned95"])
        XCTAssertEqual(notCached.status, 404)
        XCTAssertEqual((notCached.object?["error"] as? [String: Any])?["code"] as? String, "store.notCached")
        let badStub = try client.get("/v1/show?stub=zoo:cv/classification/resnet%20v1")
        XCTAssertEqual(badStub.status, 400)
        XCTAssertEqual((badStub.object?["error"] as? [String: Any])?["code"] as? String, "stub.invalid")
        let unknown = try client.get("/v1/show?stub=zoo:no-such-model-pruned10")
        XCTAssertEqual(unknown.status, 404)
        XCTAssertNotNil((unknown.object?["error"] as? [String: Any])?["nearest"] as? [String])

        let dryRun = try client.post("/v1/gc", ["max_size": "1", "dry_run": true])
        XCTAssertEqual(dryRun.object?["removed_models"] as? [String], [TinyModel.stub], dryRun.text)
        XCTAssertEqual(try client.post("/v1/gc", ["max_size": "1kb"]).object?["removed_models"] as? [String], [TinyModel.stub])
        XCTAssertEqual(try client.get("/v1/ls").text, "[]\n")
        XCTAssertEqual(try client.post("/v1/pull", ["stub": TinyModel.stub]).status, 200)
        XCTAssertEqual(try client.post("/v1/rm", ["stubs": [TinyModel.stub]]).object?["removed"] as? [String], [TinyModel.stub])
        XCTAssertEqual(try client.post("/v1/gc", ["max_size": "lots"]).status, 400)
        let metrics = try client.get("/metrics").text
        XCTAssertTrue(metrics.contains("zoo_cache_bytes 0"), metrics)
        XCTAssertTrue(metrics.contains("zoo_http_requests_total{method=\"GET\",route=\"/v1/show\",status=\"404\"} 1"), metrics)
    }

    func testABenchmarkJobRunsOnItsCoreSetAndReportsDeepsparseFields() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let model = daemon.home.url.appendingPathComponent("relu.onnx")
        let relu = ONNXTestModel(
            nodes: [ONNXTestModel.Node("Relu", ["x"], ["y"])],
            inputs: [ONNXTestModel.Value("x", dims: [1, 64])], outputs: [ONNXTestModel.Value("y", dims: [1, 64])])
        try relu.data().write(to: model)
        let submitted = try daemon.unix.post("/v1/bench", ["model": model.path, "core_set": "0", "time": 0.3, "warmup_time": 0.1])
        XCTAssertEqual(submitted.status, 202, submitted.text)
        let id = try XCTUnwrap(submitted.object?["id"] as? String)
        XCTAssertEqual(submitted.object?["core_set"] as? String, "0")
        var job: [String: Any] = [:]
        try ZooBinary.wait("the benchmark finishes") {
            job = (try? daemon.unix.get("/v1/bench/\(id)").object) ?? [:]
            return ["done", "failed"].contains(job["status"] as? String ?? "")
        }
        XCTAssertEqual(job["status"] as? String, "done", "\(job)")
        let result = try XCTUnwrap(job["result"] as? [String: Any])
        let measured = try XCTUnwrap(result["benchmark_result"] as? [String: Any])
        XCTAssertGreaterThan(measured["items_per_sec"] as? Double ?? 0, 0)
        XCTAssertEqual(result["num_cores"] as? Int, 1)
        XCTAssertEqual((try daemon.unix.get("/v1/bench").object?["jobs"] as? [Any])?.count, 1)
        XCTAssertEqual(try daemon.unix.post("/v1/bench", ["model": model.path, "core_set": "3-1"]).status, 400)
        XCTAssertEqual(try daemon.unix.post("/v1/bench", ["model": "zoo:resnet_v1-50-imagenet-pruned95"]).status, 404)
        XCTAssertEqual(try daemon.unix.get("/v1/bench/nonesuch").status, 404)
    }
}
