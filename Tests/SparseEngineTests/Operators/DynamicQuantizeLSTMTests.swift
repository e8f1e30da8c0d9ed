import XCTest
@testable import SparseEngine

/// `com.microsoft.DynamicQuantizeLSTM` against ONNX Runtime 1.23.2, and its refusals of malformed nodes.
final class DynamicQuantizeLSTMTests: XCTestCase {
    private let (steps, batch, input, hidden) = (3, 2, 4, 3)

    /// int8 weights from `randomFloats` · 127, truncated, as the script that asked ONNX Runtime made them.
    private func int8s(_ count: Int, seed: UInt64) -> [Int8] {
        randomFloats(count, seed: seed).map { Int8(($0 * 127).rounded(.towardZero)) }
    }

    /// A bidirectional node with per-direction W scales and per-gate-row R scales; `weights` replaces initializers.
    private func runNode(weights: [(String, Tensor)] = [], attributes: [String: TestAttribute] = [:]) throws -> [String: Tensor] {
        let gates = 4 * hidden
        var constants: [String: Tensor] = [
            "W": try Tensor(shape: [2, input, gates], scalars: int8s(2 * input * gates, seed: 2)),
            "R": try Tensor(shape: [2, hidden, gates], scalars: int8s(2 * hidden * gates, seed: 3)),
            "B": .f([2, 2 * gates], randomFloats(4 * gates, seed: 4)),
            "ws": .f([2], [0.02, 0.03]), "wz": try Tensor(shape: [2], scalars: [Int8(0), 0]),
            "rs": .f([2, gates], randomFloats(2 * gates, seed: 7).map { abs($0) * 0.05 + 0.01 }),
            "rz": try Tensor(shape: [2, gates], scalars: [Int8](repeating: 0, count: 2 * gates))]
        for (name, tensor) in weights { constants[name] = tensor }
        var m = TestModel()
        m.opset = 14
        m.domainOpsets = ["com.microsoft": 1]
        m.nodes = [TestNode("DynamicQuantizeLSTM", ["X", "W", "R", "B", "", "h0", "c0", "", "ws", "wz", "rs", "rz"], ["Y", "Y_h", "Y_c"],
                            name: "node0", domain: "com.microsoft",
                            ["hidden_size": .int(hidden), "direction": .string("bidirectional")].merging(attributes) { $1 })]
        let feeds: [String: Tensor] = ["X": .f([steps, batch, input], randomFloats(steps * batch * input, seed: 1)),
                                       "h0": .f([2, batch, hidden], randomFloats(2 * batch * hidden, seed: 5)),
                                       "c0": .f([2, batch, hidden], randomFloats(2 * batch * hidden, seed: 6))]
        m.inputs = feeds.map { TestModel.Value(name: $0.key, type: .float, dims: $0.value.shape) }
        m.initializers = constants.map { ($0.key, $0.value) }
        m.outputs = ["Y", "Y_h", "Y_c"].map { TestModel.Value(name: $0, type: nil, dims: nil) }
        return try InferenceSession(model: try ONNXModel(data: m.data()), options: .init(threads: 2)).run(feeds)
    }

    func testBidirectionalMatchesONNXRuntime() throws {
        let out = try runNode()
        XCTAssertEqual(out["Y"]!.shape, [steps, 2, batch, hidden])
        assertClose(out["Y"]!.floats, [0.0501264, 0.0689982, 0.0957199, 0.0464796, 0.129085, -0.0732753, -0.0967285, 0.221786, -0.168847, -0.0678123, 0.354845, -0.0257145, 0.673274, 0.305589, -0.00273044, 0.398187, 0.107255, 0.0186081, -0.221477, 0.541123, -0.0474, -0.480029, 0.351558, -0.0126924, 0.395386, 0.378705, -0.0126646, -0.11184, -0.0914066, -0.623451, -0.00235624, 0.012854, -0.00892707, -0.0184112, -0.000126173, -0.0443825])
        assertClose(out["Y_h"]!.floats, [0.395386, 0.378705, -0.0126646, -0.11184, -0.0914066, -0.623451, -0.0967285, 0.221786, -0.168847, -0.0678123, 0.354845, -0.0257145])
        assertClose(out["Y_c"]!.floats, [1.98576, 1.28837, -0.0193137, -0.136167, -0.390945, -0.76716, -2.0043, 0.409233, -0.170662, -1.19738, 0.428088, -0.0603832])
    }

    /// Malformed nodes give an `EngineError` with the given code, naming the node.
    private func assertRefused(weights: [(String, Tensor)] = [], attributes: [String: TestAttribute] = [:], _ code: EngineError.Code,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try runNode(weights: weights, attributes: attributes), file: file, line: line) { error in
            XCTAssertEqual((error as? EngineError)?.code, code, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains("node0"), "\(error)", file: file, line: line)
        }
    }

    func testMalformedNodesAreRefused() {
        // Float weights, where ONNX Runtime's quantizer writes 8-bit ones.
        assertRefused(weights: [("W", .f([2, input, 4 * hidden], Array(repeating: 0, count: 2 * input * 4 * hidden)))], .unsupportedDataType)
        // W not [directions, input, 4 · hidden].
        assertRefused(weights: [("W", try! Tensor(shape: [2, 4 * hidden, input], scalars: [Int8](repeating: 1, count: 8 * hidden * input)))], .shapeMismatch)
        // A zero point of another type than W, scales of neither per-direction nor per-row shape.
        assertRefused(weights: [("wz", try! Tensor(shape: [2], scalars: [UInt8(0), 0]))], .unsupportedDataType)
        assertRefused(weights: [("rs", .f([2, 2], [1, 1, 1, 1]))], .shapeMismatch)
        assertRefused(attributes: ["direction": .string("forward")], .shapeMismatch)
    }
}
