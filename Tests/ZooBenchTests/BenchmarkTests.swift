import Foundation
import SparseEngine
import XCTest
import ZooBench
import ZooTestSupport

final class BenchmarkTests: XCTestCase {
    /// y = Relu(x + b), x: float[batch, 4].
    private func addRelu() throws -> ONNXModel {
        let model = ONNXTestModel(
            nodes: [.init("Add", ["x", "b"], ["s"]), .init("Relu", ["s"], ["y"])],
            inputs: [.init("x", dims: ["batch", 4])], outputs: [.init("y", dims: ["batch", 4])],
            initializers: [("b", [4], [1, -1, 0.5, 0])])
        return try ONNXModel(data: model.data())
    }

    /// `--value`: an input holds the number given (a sample rate), the others stay random; an unknown name is refused.
    func testInputValuesFillNamedInputs() throws {
        let benchmark = try Benchmark(model: addRelu(), settings: .init(cores: 1, seconds: 0.05, warmupSeconds: 0, inputValues: ["x": 16000]))
        XCTAssertEqual(try benchmark.feeds["x"]!.scalars(Float.self), [16000, 16000, 16000, 16000])
        XCTAssertThrowsError(try Benchmark(model: addRelu(), settings: .init(cores: 1, inputValues: ["sr": 16000]))) {
            XCTAssertEqual(($0 as? BenchmarkError)?.code, .invalidArgument)
        }
    }

    func testSyncRunsOneStreamOnAllCores() throws {
        let benchmark = try Benchmark(model: addRelu(), settings: .init(batchSize: 3, cores: 2, seconds: 0.2, warmupSeconds: 0))
        XCTAssertEqual(benchmark.sessions.count, 1)
        XCTAssertEqual(benchmark.sessions[0].summary.threads, 2)
        XCTAssertEqual(benchmark.inputShapes, [[3, 4]])
        let m = try benchmark.run()
        XCTAssertEqual(m.streams, 1)
        XCTAssertEqual(m.iterationsPerStream.count, 1)
        XCTAssertGreaterThan(m.iterations, 10)
        XCTAssertEqual(m.latency.count, m.iterations)
        XCTAssertGreaterThanOrEqual(m.secondsRan, 0.19)
        XCTAssertLessThan(m.secondsRan, 2)
        XCTAssertEqual(m.itemsPerSecond, Double(3 * m.iterations) / m.secondsRan, accuracy: 1e-9)
        // One stream: each inference starts after the previous one ended.
        for (a, b) in zip(m.inferences, m.inferences.dropFirst()) { XCTAssertLessThanOrEqual(a.end, b.start) }
    }

    func testAsyncRunsOneSessionPerStreamConcurrently() throws {
        let benchmark = try Benchmark(model: addRelu(), settings: .init(cores: 3, scenario: .async, streams: 2, seconds: 0.2, warmupSeconds: 0.05))
        XCTAssertEqual(benchmark.sessions.map(\.summary.threads), [2, 1])
        let m = try benchmark.run()
        XCTAssertEqual(m.streams, 2)
        XCTAssertEqual(m.iterationsPerStream.count, 2)
        XCTAssertTrue(m.iterationsPerStream.allSatisfy { $0 > 0 }, "\(m.iterationsPerStream)")
        XCTAssertEqual(m.iterationsPerStream.reduce(0, +), m.iterations)
    }

    func testElasticSharesOneSessionBetweenStreams() throws {
        let benchmark = try Benchmark(model: addRelu(), settings: .init(cores: 2, scenario: .elastic, streams: 3, seconds: 0.2, warmupSeconds: 0))
        XCTAssertEqual(benchmark.sessions.count, 1)
        let m = try benchmark.run()
        XCTAssertEqual(m.iterationsPerStream.count, 3)
        XCTAssertTrue(m.iterationsPerStream.allSatisfy { $0 > 0 }, "\(m.iterationsPerStream)")
    }

    func testJSONExportHasDeepsparseKeys() throws {
        let benchmark = try Benchmark(model: addRelu(), settings: .init(cores: 1, seconds: 0.05, warmupSeconds: 0, inputShapes: [[2, 4]]))
        let report = BenchmarkReport(benchmark: benchmark, measurement: try benchmark.run(), originalModelPath: "m.onnx", modelPath: "/tmp/m.onnx", version: "9.9")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: report.exportData()) as? [String: Any])
        XCTAssertEqual(Set(object.keys), Set(BenchmarkReport.exportKeys + ["zoo"]))
        XCTAssertEqual(object["scenario"] as? String, "singlestream")
        XCTAssertEqual(object["scheduler"] as? String, "Scheduler.single_stream")
        XCTAssertEqual(object["batch_size"] as? Int, 2)
        XCTAssertEqual(object["input_shapes"] as? [[Int]], [[2, 4]])
        XCTAssertEqual(object["num_cores"] as? Int, 1)
        XCTAssertEqual(object["num_streams"] as? Int, 1)
        XCTAssertEqual(object["orig_model_path"] as? String, "m.onnx")
        XCTAssertTrue((object["engine"] as? String)?.contains("\tonnx_file_path: /tmp/m.onnx\n") ?? false)
        let result = try XCTUnwrap(object["benchmark_result"] as? [String: Any])
        XCTAssertEqual(Set(result.keys), Set(BenchmarkReport.resultKeys))
        XCTAssertEqual(Set(BenchmarkReport.resultKeys), ["scenario", "items_per_sec", "seconds_ran", "iterations", "median", "mean", "std",
                                                          "25.0%", "50.0%", "75.0%", "90.0%", "95.0%", "99.0%", "99.9%"])
        let p25 = try XCTUnwrap(result["25.0%"] as? Double), p999 = try XCTUnwrap(result["99.9%"] as? Double)
        XCTAssertLessThanOrEqual(p25, p999)
        XCTAssertEqual(result["iterations"] as? Int, report.measurement.iterations)
    }

    func testTextHasDeepsparseFields() throws {
        let benchmark = try Benchmark(model: addRelu(), settings: .init(cores: 1, seconds: 0.05, warmupSeconds: 0))
        let report = BenchmarkReport(benchmark: benchmark, measurement: try benchmark.run(), originalModelPath: "m.onnx", modelPath: "m.onnx", version: "9.9")
        let lines = report.text.split(separator: "\n").map(String.init)
        let labels = ["Original Model Path: m.onnx", "Batch Size: 1", "Scenario: sync", "Throughput (items/sec): ", "Latency Mean (ms/batch): ",
                      "Latency Median (ms/batch): ", "Latency Std (ms/batch): ", "Latency p90 (ms/batch): ", "Latency p95 (ms/batch): ",
                      "Latency p99 (ms/batch): ", "Iterations: \(report.measurement.iterations)"]
        for (line, label) in zip(lines, labels) { XCTAssertTrue(line.hasPrefix(label), "\(line) should start with \(label)") }
        XCTAssertTrue(lines[3].range(of: #"^Throughput \(items/sec\): \d+\.\d{4}$"#, options: .regularExpression) != nil, lines[3])
    }
}
