import Foundation
import XCTest
import ZooTestSupport

/// `zoo run` and `zoo bench` end to end: the real binary on small models written by the test.
final class RunBenchCommandTests: XCTestCase {
    private var zoo: ZooProcess!
    private var directory: TemporaryDirectory!

    override func setUp() {
        zoo = ZooProcess()
        directory = TemporaryDirectory()
    }

    override func tearDown() {
        zoo.remove()
        directory = nil
    }

    private let a: [Float] = [1, -2, 3, -4, 0.5, 6]
    private let b: [Float] = [-1, 1, -5, 2, 0.25, -7]

    /// y = Relu(a + b), z = a · b, for a, b: float[batch, 3].
    private func writeModel(_ name: String = "model.onnx") throws -> String {
        let model = ONNXTestModel(
            nodes: [.init("Add", ["a", "b"], ["s"]), .init("Relu", ["s"], ["y"]), .init("Mul", ["a", "b"], ["z"])],
            inputs: [.init("a", dims: ["batch", 3]), .init("b", dims: ["batch", 3])],
            outputs: [.init("y", dims: ["batch", 3]), .init("z", dims: ["batch", 3])])
        let path = directory.path(name)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try model.data().write(to: URL(fileURLWithPath: path))
        return path
    }

    private var expectedY: [Float] { zip(a, b).map { max($0 + $1, 0) } }
    private var expectedZ: [Float] { zip(a, b).map { $0 * $1 } }

    private func write(_ data: Data, _ name: String) throws -> String {
        let path = directory.path(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    private func readOutput(_ directory: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> (shape: [Int], values: [Float]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name + ".npy"))
        return try XCTUnwrap(NumpyFiles.readFloat32(data), "\(name).npy is not a float32 .npy file", file: file, line: line)
    }

    func testRunWritesOutputsComputedFromNpyAndTensorProtoInputs() throws {
        let model = try writeModel()
        let aFile = try write(NumpyFiles.npy(shape: [2, 3], float32: a), "a.npy")
        let bFile = try write(ONNXTestModel.tensorProto(name: "b", shape: [2, 3], float32: b), "b.pb")
        let out = directory.path("out")
        let result = try zoo.start(["run", model, "--input", "a=\(aFile)", "--input", "b=\(bFile)", "--output-dir", out, "--json"]).wait()
        XCTAssertEqual(result.status, 0, result.stderr)
        let y = try readOutput(out, "y"), z = try readOutput(out, "z")
        XCTAssertEqual(y.shape, [2, 3])
        XCTAssertEqual(y.values, expectedY)
        XCTAssertEqual(z.values, expectedZ)
        // The .pb holds a TensorProto named after the output with the same little-endian floats.
        let pb = try Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent("y.pb"))
        let raw = Data(expectedY.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
        XCTAssertNotNil(pb.range(of: raw))
        XCTAssertNotNil(pb.range(of: Data([0x42, 0x01, UInt8(ascii: "y")])), "TensorProto.name (field 8) should be 'y'")

        let json = try ZooProcess.object(result)
        let outputs = try XCTUnwrap(json["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs.map { $0["name"] as? String }, ["y", "z"])
        XCTAssertEqual(outputs[0]["dtype"] as? String, "float")
        XCTAssertEqual(outputs[0]["shape"] as? [Int], [2, 3])
        XCTAssertEqual(outputs[0]["max"] as? Double, Double(expectedY.max()!))
        XCTAssertEqual(outputs[1]["min"] as? Double, Double(expectedZ.min()!))
        let inputs = try XCTUnwrap(json["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.map { $0["source"] as? String }, [aFile, bFile])

        // Text: a table of the outputs.
        let text = try zoo.start(["run", model, "--input", "a=\(aFile)", "--input", "b=\(bFile)", "--output-dir", out]).wait()
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("OUTPUT"), text.stdout)
        // y = [0, 0, 0, 0, 0.75, 0]: min 0, max 0.75, mean 0.125.
        XCTAssertNotNil(text.stdout.range(of: #"\ny\s+float\s+\[2, 3\]\s+0\s+0\.75\s+0\.125\n"#, options: .regularExpression), text.stdout)
    }

    func testRunReadsNpzMembersByNameThenByPosition() throws {
        let model = try writeModel()
        let named = directory.path("named.npz")
        try NumpyFiles.writeNPZ([("b", NumpyFiles.npy(shape: [2, 3], float32: b)), ("a", NumpyFiles.npy(shape: [2, 3], float32: a))],
                                to: named, compressed: true)
        let out1 = directory.path("out1")
        let first = try zoo.start(["run", model, "--input", named, "--output-dir", out1]).wait()
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try readOutput(out1, "y").values, expectedY)

        // SparseZoo sample inputs name their members by position: they feed the inputs in order.
        let positional = directory.path("inp-0000.npz")
        try NumpyFiles.writeNPZ([("arr_0", NumpyFiles.npy(shape: [2, 3], float32: a)), ("arr_1", NumpyFiles.npy(shape: [2, 3], float32: b))],
                                to: positional, compressed: false)
        let out2 = directory.path("out2")
        let second = try zoo.start(["run", model, "--input", positional, "--output-dir", out2]).wait()
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try readOutput(out2, "z").values, expectedZ)
    }

    func testRunMakesRandomInputsOfTheRequestedShape() throws {
        let model = try writeModel()
        let out = directory.path("out")
        let result = try zoo.start(["run", model, "--dim", "batch=4", "--output-dir", out, "--json"]).wait()
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try ZooProcess.object(result)
        let inputs = try XCTUnwrap(json["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.map { $0["source"] as? String }, ["random", "random"])
        XCTAssertEqual(inputs.map { $0["shape"] as? [Int] }, [[4, 3], [4, 3]])
        let y = try readOutput(out, "y")
        XCTAssertEqual(y.shape, [4, 3])
        XCTAssertTrue(y.values.allSatisfy { $0 > 0 && $0 < 2 }, "uniform [0, 1) inputs sum to (0, 2): \(y.values)")
    }

    func testRunRejectsBadModelsAndInputsWithClearMessages() throws {
        let garbage = try write(Data("this is not protobuf at all, just text\n".utf8), "broken.onnx")
        let broken = try zoo.start(["run", garbage]).wait()
        XCTAssertEqual(broken.status, 2)
        XCTAssertTrue(broken.stderr.hasPrefix("zoo: error: "), broken.stderr)
        XCTAssertTrue(broken.stderr.contains(garbage), broken.stderr)
        XCTAssertTrue(broken.stdout.isEmpty)

        let empty = directory.path("empty-dir")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let noModel = try zoo.start(["run", empty]).wait()
        XCTAssertEqual(noModel.status, 2)
        XCTAssertTrue(noModel.stderr.contains("no model.onnx or deployment/model.onnx"), noModel.stderr)

        let model = try writeModel()
        let unknown = try zoo.start(["run", model, "--input", "c=\(directory.path("x.npy"))"]).wait()
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("the model has no input 'c'"), unknown.stderr)

        let wrongShape = try write(NumpyFiles.npy(shape: [2, 4], float32: Array(repeating: 0, count: 8)), "wrong.npy")
        let mismatch = try zoo.start(["run", model, "--input", "a=\(wrongShape)"]).wait()
        XCTAssertEqual(mismatch.status, 2)
        XCTAssertTrue(mismatch.stderr.contains("input 'a' dimension 1 must be 3"), mismatch.stderr)

        let notNpy = try write(Data("nope".utf8), "bad.npy")
        let badFile = try zoo.start(["run", model, "--input", "a=\(notNpy)"]).wait()
        XCTAssertEqual(badFile.status, 2)
        XCTAssertTrue(badFile.stderr.contains("is not a readable .npy file"), badFile.stderr)
    }

    func testBenchJSONAndExportHaveDeepsparseKeys() throws {
        let model = try writeModel("deployment/model.onnx")
        let export = directory.path("results.json")
        let result = try zoo.start(["bench", directory.url.path, "-t", "1", "-w", "0", "-b", "2", "-ncores", "1", "-x", export, "--json", "-q"]).wait()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let json = try ZooProcess.object(result)
        for key in ["engine", "version", "orig_model_path", "model_path", "batch_size", "input_shapes", "num_cores", "scenario",
                    "scheduler", "seconds_to_run", "num_streams", "benchmark_result", "fraction_of_supported_ops"] {
            XCTAssertNotNil(json[key], "missing \(key)")
        }
        XCTAssertEqual(json["model_path"] as? String, model)
        XCTAssertEqual(json["batch_size"] as? Int, 2)
        XCTAssertEqual(json["num_cores"] as? Int, 1)
        XCTAssertEqual(json["scenario"] as? String, "singlestream")
        XCTAssertTrue(json["input_shapes"] is NSNull)
        let result0 = try XCTUnwrap(json["benchmark_result"] as? [String: Any])
        let iterations = try XCTUnwrap(result0["iterations"] as? Int)
        let seconds = try XCTUnwrap(result0["seconds_ran"] as? Double)
        XCTAssertGreaterThan(iterations, 10)
        XCTAssertGreaterThan(seconds, 0.9)
        XCTAssertEqual(try XCTUnwrap(result0["items_per_sec"] as? Double), Double(2 * iterations) / seconds, accuracy: 1e-6)
        let percentiles = try ["25.0%", "50.0%", "75.0%", "90.0%", "95.0%", "99.0%", "99.9%"].map { try XCTUnwrap(result0[$0] as? Double, $0) }
        XCTAssertEqual(percentiles, percentiles.sorted())
        XCTAssertEqual(result0["median"] as? Double, percentiles[1])
        let extras = try XCTUnwrap(json["zoo"] as? [String: Any])
        XCTAssertEqual(extras["threads_per_session"] as? [Int], [1])
        XCTAssertEqual(extras["input_shapes_run"] as? [[Int]], [[2, 3], [2, 3]])

        let exported = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: export))) as? [String: Any])
        XCTAssertEqual(Set(exported.keys), Set(json.keys))
        XCTAssertEqual((exported["benchmark_result"] as? [String: Any])?["iterations"] as? Int, iterations)
    }

    func testBenchTextAcceptsDeepsparseFlags() throws {
        let model = try writeModel()
        let result = try zoo.start(["bench", model, "-s", "async", "-nstreams", "2", "-ncores", "2", "-t", "0.5", "-w", "0",
                                    "-shapes", "[3,3],[3,3]", "--batch_size", "3"]).wait()
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "Original Model Path: \(model)")
        XCTAssertTrue(lines.contains("Batch Size: 3"), result.stdout)
        XCTAssertTrue(lines.contains("Scenario: async"), result.stdout)
        for label in ["Throughput (items/sec): ", "Latency Mean (ms/batch): ", "Latency Median (ms/batch): ", "Latency Std (ms/batch): ",
                      "Latency p90 (ms/batch): ", "Latency p95 (ms/batch): ", "Latency p99 (ms/batch): ", "Iterations: "] {
            XCTAssertTrue(lines.contains { $0.hasPrefix(label) }, "no line starts with \(label):\n\(result.stdout)")
        }
        XCTAssertTrue(lines.contains { $0.hasPrefix("Engine: ") && $0.contains("1+1 threads, 2 streams") }, result.stdout)
        XCTAssertTrue(result.stderr.contains("Starting 'multistream' performance measurements"), result.stderr)

        let disagree = try zoo.start(["bench", model, "-b", "2", "-shapes", "[3,3],[3,3]", "-t", "0.1"]).wait()
        XCTAssertEqual(disagree.status, 2)
        XCTAssertTrue(disagree.stderr.contains("batch size 2 disagrees with shape [3, 3]"), disagree.stderr)
        let badScenario = try zoo.start(["bench", model, "-s", "sideways"]).wait()
        XCTAssertEqual(badScenario.status, 64)
    }

    /// A model that runs in stages (NonZero over an input: its output shape depends on the contents) has no per-layer
    /// profile; `--profile` says so and the measurement is still reported.
    func testBenchProfileOfAStagedModelWarnsAndReports() throws {
        let model = ONNXTestModel(nodes: [.init("NonZero", ["a"], ["kept"])], inputs: [.init("a", dims: [2, 3])],
                                  outputs: [.init("kept", elementType: 7, dims: [2, "count"])])
        let path = directory.path("staged.onnx")
        try model.data().write(to: URL(fileURLWithPath: path))
        let result = try zoo.start(["bench", path, "-t", "0.2", "-w", "0", "-ncores", "1", "-q", "--profile", "2"]).wait()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Throughput (items/sec): "), result.stdout)
        XCTAssertTrue(result.stderr.contains("no per-layer profile"), result.stderr)
        XCTAssertFalse(result.stdout.contains("Profile:"), result.stdout)
    }
}
