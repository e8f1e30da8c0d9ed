import Foundation
import XCTest
import ZooTestSupport

/// `zoo verify STUB|DIR` end to end: the real binary runs a model's sample inputs and compares its sample
/// outputs, in model directories and in a model pulled into the cache from a registry on loopback.
final class VerifySamplesTests: XCTestCase {
    private var zoo: ZooProcess!
    private var directory: TemporaryDirectory!

    override func setUp() {
        zoo = ZooProcess()
        zoo.environment = ["ZOO_OFFLINE": ""]
        directory = TemporaryDirectory()
    }

    override func tearDown() {
        zoo.remove()
        directory = nil
    }

    private var model: String { directory.url.path }

    private func outputFile(_ index: Int) -> URL {
        directory.url.appendingPathComponent("sample-outputs/out-000\(index).npz")
    }

    func testSampleDirectoriesMatchTheEngine() throws {
        try SampleModelFixture.write(to: directory.url)
        let text = try zoo.run("verify", model)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertEqual(text.stderr, "")
        XCTAssertTrue(text.stdout.contains("inp-0000.npz -> out-0000.npz\nOUTPUT  SHAPE  MAX ABS ERR  MAX REL ERR  STATUS\n"), text.stdout)
        XCTAssertNotNil(text.stdout.range(of: #"\nz\s+\[3\]\s+0\s+0\s+OK\n"#, options: .regularExpression), text.stdout)
        XCTAssertTrue(text.stdout.contains("ok: 3 sample(s) of \(model)/model.onnx match their outputs (6 compared, atol 0.0008, rtol 0)"), text.stdout)

        let json = try ZooProcess.object(try zoo.run("verify", model, "--json"))
        XCTAssertEqual(json["ok"] as? Bool, true)
        XCTAssertTrue(json["stub"] is NSNull)
        XCTAssertEqual(json["path"] as? String, model)
        XCTAssertEqual(json["model_path"] as? String, model + "/model.onnx")
        XCTAssertEqual(json["sample_inputs"] as? String, model + "/sample-inputs")
        XCTAssertEqual(json["atol"] as? Double, 8e-4)
        XCTAssertEqual(json["rtol"] as? Double, 0)
        XCTAssertEqual((json["files"] as? [Any])?.count, 0)
        let samples = try XCTUnwrap(json["samples"] as? [[String: Any]])
        XCTAssertEqual(samples.map { $0["input"] as? String }, ["inp-0000.npz", "inp-0001.npz", "inp-0002.npz"])
        XCTAssertEqual(samples.map { $0["output"] as? String }, ["out-0000.npz", "out-0001.npz", "out-0002.npz"])
        let outputs = try XCTUnwrap(samples[0]["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs.map { $0["name"] as? String }, ["y", "z"])
        XCTAssertEqual(outputs[0]["shape"] as? [Int], [3])
        XCTAssertEqual(outputs[0]["engine_shape"] as? [Int], [3])
        XCTAssertEqual(outputs[0]["elements"] as? Int, 3)
        XCTAssertEqual(outputs[0]["max_abs_error"] as? Double, 0)
        XCTAssertTrue(outputs[0]["problem"] is NSNull)
    }

    func testSampleArchivesAreReadWithoutUnpackingIntoTheModel() throws {
        try SampleModelFixture.write(to: directory.url, layout: .archives)
        let result = try zoo.run("verify", model, "--json")
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try ZooProcess.object(result)
        XCTAssertEqual(json["sample_outputs"] as? String, model + "/sample-outputs.tar.gz")
        XCTAssertEqual((json["samples"] as? [Any])?.count, 3)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: model).sorted(), ["model.onnx", "sample-inputs.tar.gz", "sample-outputs.tar.gz"])
    }

    func testOneAlteredOutputFailsAndIsNamed() throws {
        // Sample 2: y = Relu(a + b) = [7, 2, 0.25]; the sample now says 7.5.
        var y = SampleModelFixture.samples[2].y
        XCTAssertEqual(y[0], 7)
        y[0] = 7.5
        try SampleModelFixture.write(to: directory.url, outputs: [2: ["y": y]])

        let text = try zoo.run("verify", model)
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stderr.hasPrefix("zoo: error: output 'y' of out-0002.npz (input inp-0002.npz) does not match: 1 of 3 elements differ"), text.stderr)
        XCTAssertTrue(text.stderr.contains("at [0], is 7.0 where the sample has 7.5"), text.stderr)
        XCTAssertNotNil(text.stdout.range(of: #"\ny\s+\[3\]\s+0\.5\s+0\.0667\s+MISMATCH\n"#, options: .regularExpression), text.stdout)
        XCTAssertTrue(text.stdout.contains("MISMATCH: 1 of 6 output(s) in 3 sample(s)"), text.stdout)

        let result = try zoo.run("verify", model, "--json")
        XCTAssertEqual(result.status, 1)
        let json = try ZooProcess.object(result)
        XCTAssertEqual(json["ok"] as? Bool, false)
        let samples = try XCTUnwrap(json["samples"] as? [[String: Any]])
        XCTAssertEqual(samples.map { $0["ok"] as? Bool }, [true, true, false])
        let bad = try XCTUnwrap((samples[2]["outputs"] as? [[String: Any]])?.first)
        XCTAssertEqual(bad["ok"] as? Bool, false)
        XCTAssertEqual(bad["mismatched"] as? Int, 1)
        XCTAssertEqual(bad["max_abs_error"] as? Double, 0.5)

        // |7 − 7.5| = 0.5: within atol 0.5, or rtol 0.1 (0.75), but not rtol 0.05 (0.375).
        XCTAssertEqual(try zoo.run("verify", model, "--atol", "0.5").status, 0)
        XCTAssertEqual(try zoo.run("verify", model, "--rtol", "0.1").status, 0)
        XCTAssertEqual(try zoo.run("verify", model, "--rtol", "0.05").status, 1)
        let negative = try zoo.run("verify", model, "--atol=-1")
        XCTAssertEqual(negative.status, 2)
        XCTAssertTrue(negative.stderr.contains("--atol must be a finite number of at least 0"), negative.stderr)
    }

    func testMalformedSampleFilesExitTwoNamingTheFile() throws {
        try SampleModelFixture.write(to: directory.url)
        let original = try Data(contentsOf: outputFile(1))

        try Data("PK\u{3}\u{4} truncated".utf8).write(to: outputFile(1))
        var result = try zoo.run("verify", model)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("\(outputFile(1).path) is not a readable .npz file"), result.stderr)

        let good = NumpyFiles.npy(shape: [3], float32: [1, 2, 3])
        try NumpyFiles.writeNPZ([("y", good), ("z", good.dropLast(2))], to: outputFile(1).path, compressed: true)
        result = try zoo.run("verify", model)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("'\(outputFile(1).path) member z.npy' is not a readable .npy file: it has 10 data bytes but <f4 (3,) needs 12"),
                      result.stderr)

        var badMagic = good
        badMagic[0] = 0x92
        try NumpyFiles.writeNPZ([("y", badMagic), ("z", good)], to: outputFile(1).path, compressed: false)
        result = try zoo.run("verify", model, "--json")
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stdout.isEmpty, "no report for a malformed file: \(result.stdout)")
        XCTAssertTrue(result.stderr.contains("member y.npy' is not a readable .npy file: it does not start with the \\x93NUMPY magic"), result.stderr)

        try original.write(to: outputFile(1))
        XCTAssertEqual(try zoo.run("verify", model).status, 0, "restored")
        try FileManager.default.removeItem(at: outputFile(2))
        result = try zoo.run("verify", model)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("holds 3 .npz file(s) but"), result.stderr)

        try FileManager.default.removeItem(at: directory.url.appendingPathComponent("sample-outputs"))
        try Data("not gzip".utf8).write(to: directory.url.appendingPathComponent("sample-outputs.tar.gz"))
        result = try zoo.run("verify", model)
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("cannot unpack \(model)/sample-outputs.tar.gz"), result.stderr)
    }

    func testWhatThereIsNothingToVerifyIn() throws {
        try SampleModelFixture.model().write(to: directory.url.appendingPathComponent("model.onnx"))
        var result = try zoo.run("verify", model)
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("has no sample-inputs and sample-outputs"), result.stderr)

        result = try zoo.run("verify", model + "/model.onnx")
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("is a file; pass the model directory"), result.stderr)

        result = try zoo.run("verify", model + "/nonesuch")
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("no such model directory"), result.stderr)

        result = try zoo.run("verify", "zoo:biobert-base_cased-jnlpba_pubmed-pruned80.4block_quantized")
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("is not cached; `zoo pull` it first"), result.stderr)
    }

    func testCachedStubChecksItsFilesThenItsSamples() throws {
        let stub = "zoo:cv/classification/tinysum-none/pytorch/zoo/synthetic/base-none"
        let repoName = "tinysum-synthetic-base"
        let build = TemporaryDirectory()
        try SampleModelFixture.write(to: build.url, layout: .archives)
        let mirror = MirrorFixture()
        var entry = MirrorFixture.Model(stub: stub, repoName: repoName)
        for name in ["model.onnx", "sample-inputs.tar.gz", "sample-outputs.tar.gz"] {
            entry.files[name] = try Data(contentsOf: build.url.appendingPathComponent(name))
        }
        try mirror.add(entry)
        let nginx = try NginxServer(root: mirror.root)
        defer { nginx.stop() }
        let pull = try zoo.run("pull", stub, "--registry", nginx.baseURL)
        XCTAssertEqual(pull.status, 0, pull.stderr)

        let text = try zoo.run("verify", stub, "--files")
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("FILE"), text.stdout)
        XCTAssertTrue(text.stdout.contains("ok: 3 file(s) re-hashed"), text.stdout)
        XCTAssertTrue(text.stdout.contains("ok: 3 sample(s) of"), text.stdout)

        let json = try ZooProcess.object(try zoo.run("verify", stub, "--json"))
        XCTAssertEqual(json["stub"] as? String, stub)
        XCTAssertEqual(json["files_ok"] as? Bool, true)
        XCTAssertEqual((json["files"] as? [Any])?.count, 3)
        XCTAssertEqual((json["samples"] as? [Any])?.count, 3)
        let cached = try XCTUnwrap(json["path"] as? String)

        let filesOnly = try ZooProcess.object(try zoo.run("verify", stub, "--no-samples", "--json"))
        XCTAssertTrue(filesOnly["samples"] is NSNull)
        XCTAssertEqual(filesOnly["ok"] as? Bool, true)

        // An unpacked sample output altered inside the cache: the files still check out, the samples do not.
        let unpacked = URL(fileURLWithPath: cached).appendingPathComponent("sample-outputs/out-0001.npz")
        let z = SampleModelFixture.samples[1].z.map { $0 + 1 }
        try FileManager.default.removeItem(at: unpacked)
        try NumpyFiles.writeNPZ([("y", NumpyFiles.npy(shape: [3], float32: SampleModelFixture.samples[1].y)), ("z", NumpyFiles.npy(shape: [3], float32: z))],
                                to: unpacked.path, compressed: true)
        let altered = try zoo.run("verify", stub)
        XCTAssertEqual(altered.status, 1)
        XCTAssertTrue(altered.stdout.contains("ok: 3 file(s)"), altered.stdout)
        XCTAssertTrue(altered.stderr.contains("output 'z' of out-0001.npz"), altered.stderr)
        XCTAssertEqual(try zoo.run("verify", stub, "--no-samples").status, 0)
    }
}
