import Foundation
import SparseEngine
import XCTest
import ZooTestSupport
@testable import ZooVerify

/// `SampleVerifier` on a small model and samples written by the test: inputs by name and by position, the
/// batch dimension added and dropped, altered outputs caught, and samples that do not fit the model refused.
final class SampleVerifierTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUp() { directory = TemporaryDirectory() }
    override func tearDown() { directory = nil }

    private func verifier(tolerance: Tolerance = .deepsparse) throws -> SampleVerifier {
        let session = try InferenceSession(model: ONNXModel(contentsOf: directory.url.appendingPathComponent("model.onnx")), options: .init(threads: 1))
        return SampleVerifier(session: session, tolerance: tolerance)
    }

    func testSamplesMatchTheEngine() throws {
        try SampleModelFixture.write(to: directory.url)
        let samples = try XCTUnwrap(try SampleData.locate(in: directory.url))
        let verifier = try verifier()
        for pair in samples.pairs {
            let result = try verifier.verify(pair)
            XCTAssertTrue(result.ok, "\(result.outputs.compactMap(\.problem))")
            XCTAssertEqual(result.outputs.map(\.name), ["y", "z"])
            XCTAssertEqual(result.outputs.map(\.expectedShape), [[3], [3]])
            XCTAssertEqual(result.outputs.map(\.maxAbsoluteError), [0, 0])
        }
    }

    func testAnAlteredOutputIsCaughtAndNamed() throws {
        var z = SampleModelFixture.samples[1].z
        z[2] += 0.01
        try SampleModelFixture.write(to: directory.url, outputs: [1: ["z": z]])
        let samples = try XCTUnwrap(try SampleData.locate(in: directory.url))
        let results = try samples.pairs.map { try verifier().verify($0) }
        XCTAssertEqual(results.map(\.ok), [true, false, true])
        let bad = results[1].outputs
        XCTAssertEqual(bad.map(\.ok), [true, false])
        XCTAssertEqual(try XCTUnwrap(bad[1].maxAbsoluteError), 0.01, accuracy: 1e-5)
        XCTAssertEqual(bad[1].mismatched, 1)
        XCTAssertTrue(try XCTUnwrap(bad[1].problem).contains("at [2]"), bad[1].problem ?? "")
        // A looser tolerance accepts it.
        XCTAssertTrue(try verifier(tolerance: Tolerance(absolute: 0.02, relative: 0)).verify(samples.pairs[1]).ok)
    }

    func testArraysFeedByPositionWhenNotNamedAfterTheInputs() throws {
        try SampleModelFixture.model().write(to: directory.url.appendingPathComponent("model.onnx"))
        let sample = SampleModelFixture.samples[0]
        let input = directory.path("inp-0000.npz"), output = directory.path("out-0000.npz")
        try NumpyFiles.writeNPZ([("arr_0", NumpyFiles.npy(shape: [3], float32: sample.a)), ("arr_1", NumpyFiles.npy(shape: [3], float32: sample.b))],
                                to: input, compressed: false)
        // With the batch dimension kept: compared as is.
        try NumpyFiles.writeNPZ([("arr_0", NumpyFiles.npy(shape: [1, 3], float32: sample.y)), ("arr_1", NumpyFiles.npy(shape: [1, 3], float32: sample.z))],
                                to: output, compressed: false)
        let result = try verifier().verify(SampleData.Pair(input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: output)))
        XCTAssertTrue(result.ok, "\(result.outputs.compactMap(\.problem))")
        XCTAssertEqual(result.outputs.map(\.expectedShape), [[1, 3], [1, 3]])

        // Swapping the positional inputs changes nothing for the symmetric model but swapping outputs does.
        try NumpyFiles.writeNPZ([("arr_0", NumpyFiles.npy(shape: [3], float32: sample.z)), ("arr_1", NumpyFiles.npy(shape: [3], float32: sample.y))],
                                to: output, compressed: false)
        let swapped = try verifier().verify(SampleData.Pair(input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: output)))
        XCTAssertEqual(swapped.outputs.map(\.ok), [false, false])
    }

    func testSamplesThatDoNotFitTheModel() throws {
        try SampleModelFixture.model().write(to: directory.url.appendingPathComponent("model.onnx"))
        let output = directory.path("out-0000.npz")
        try NumpyFiles.writeNPZ([("y", NumpyFiles.npy(shape: [3], float32: [0, 0, 0])), ("z", NumpyFiles.npy(shape: [3], float32: [0, 0, 0]))],
                                to: output, compressed: false)
        let oneInput = directory.path("inp-one.npz")
        try NumpyFiles.writeNPZ([("a", NumpyFiles.npy(shape: [3], float32: [1, 2, 3]))], to: oneInput, compressed: false)
        XCTAssertThrowsError(try verifier().verify(SampleData.Pair(input: URL(fileURLWithPath: oneInput), output: URL(fileURLWithPath: output)))) { error in
            XCTAssertEqual((error as? SampleDataError)?.code, .doesNotFitModel)
            XCTAssertTrue("\(error)".contains("holds 1 array(s) (a) but the model has 2 input(s) (a, b)"), "\(error)")
        }
        let wrongWidth = directory.path("inp-wide.npz")
        try NumpyFiles.writeNPZ([("a", NumpyFiles.npy(shape: [4], float32: [1, 2, 3, 4])), ("b", NumpyFiles.npy(shape: [4], float32: [1, 2, 3, 4]))],
                                to: wrongWidth, compressed: false)
        XCTAssertThrowsError(try verifier().verify(SampleData.Pair(input: URL(fileURLWithPath: wrongWidth), output: URL(fileURLWithPath: output)))) { error in
            XCTAssertEqual((error as? SampleDataError)?.code, .doesNotFitModel)
            XCTAssertTrue("\(error)".contains("inp-wide.npz does not fit the model"), "\(error)")
        }
        let wrongType = directory.path("inp-int.npz")
        try NumpyFiles.writeNPZ([("a", NumpyFiles.npy(shape: [3], int64: [1, 2, 3])), ("b", NumpyFiles.npy(shape: [3], int64: [1, 2, 3]))],
                                to: wrongType, compressed: false)
        XCTAssertThrowsError(try verifier().verify(SampleData.Pair(input: URL(fileURLWithPath: wrongType), output: URL(fileURLWithPath: output)))) { error in
            XCTAssertEqual((error as? SampleDataError)?.code, .doesNotFitModel, "\(error)")
        }
    }
}
