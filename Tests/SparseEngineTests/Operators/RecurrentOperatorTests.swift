import XCTest
@testable import SparseEngine

/// GRU and RNN against ONNX Runtime 1.23.2 (sequence-first layout: ONNX Runtime refuses `layout` 1, which the
/// conformance cases `test_gru_batchwise` and `test_simple_rnn_batchwise` cover), and their refusals of malformed nodes.
final class RecurrentOperatorTests: XCTestCase {
    /// Runs `op` on X [steps, batch, input], W, R, B, sequence_lens and initial_h filled by `randomFloats` with seeds 1–5, as
    /// the script that asked ONNX Runtime for the expected outputs filled them.
    private func run(_ op: String, gates: Int, steps: Int, batch: Int, input: Int, hidden: Int, directions: Int, lengths: [Int],
                     attributes: [String: TestAttribute]) throws -> [String: Tensor] {
        let g = gates * hidden
        return try runOp(op, inputs: [("X", .f([steps, batch, input], randomFloats(steps * batch * input, seed: 1))),
                                      ("W", .f([directions, g, input], randomFloats(directions * g * input, seed: 2))),
                                      ("R", .f([directions, g, hidden], randomFloats(directions * g * hidden, seed: 3))),
                                      ("B", .f([directions, 2 * g], randomFloats(directions * 2 * g, seed: 4))),
                                      ("sequence_lens", try Tensor(shape: [batch], scalars: lengths.map(Int32.init))),
                                      ("initial_h", .f([directions, batch, hidden], randomFloats(directions * batch * hidden, seed: 5)))],
                         outputs: ["Y", "Y_h"], attributes: attributes.merging(["hidden_size": .int(hidden)]) { $1 }, opset: 14)
    }

    func testBidirectionalGRULinearBeforeResetMatchesONNXRuntime() throws {
        let out = try run("GRU", gates: 3, steps: 3, batch: 2, input: 2, hidden: 3, directions: 2, lengths: [3, 1],
                          attributes: ["direction": .string("bidirectional"), "linear_before_reset": .int(1)])
        XCTAssertEqual(out["Y"]!.shape, [3, 2, 2, 3])
        assertClose(out["Y"]!.floats, [-0.540671, -0.584588, -0.149678, -0.528229, -0.200102, 0.178026, 0.620753, -0.0725611, -0.934925, 0.505167, 0.412889, -0.464432, -0.571771, -0.811243, -0.194756, 0, 0, 0, 0.498738, 0.355534, -0.920415, 0, 0, 0, -0.611759, -0.885877, -0.158153, 0, 0, 0, 0.610951, 0.224742, -0.841562, 0, 0, 0])
        assertClose(out["Y_h"]!.floats, [-0.611759, -0.885877, -0.158153, -0.528229, -0.200102, 0.178026, 0.620753, -0.0725611, -0.934925, 0.505167, 0.412889, -0.464432])
    }

    func testReverseGRUWithClipMatchesONNXRuntime() throws {
        let out = try run("GRU", gates: 3, steps: 3, batch: 2, input: 2, hidden: 3, directions: 1, lengths: [2, 3],
                          attributes: ["direction": .string("reverse"), "clip": .float(0.5)])
        assertClose(out["Y"]!.floats, [-0.383555, -0.407145, -0.00895281, -0.0307747, -0.301753, 0.211071, -0.664093, -0.344549, -0.294671, -0.157817, -0.172548, 0.0588045, 0, 0, 0, -0.544254, 0.00308393, 0.033545])
        assertClose(out["Y_h"]!.floats, [-0.383555, -0.407145, -0.00895281, -0.0307747, -0.301753, 0.211071])
    }

    func testBidirectionalRNNWithSequenceLengthsMatchesONNXRuntime() throws {
        let out = try run("RNN", gates: 1, steps: 3, batch: 2, input: 2, hidden: 3, directions: 2, lengths: [1, 3],
                          attributes: ["direction": .string("bidirectional")])
        assertClose(out["Y"]!.floats, [0.221659, 0.202995, 0.80765, 0.41926, 0.535307, 0.410027, -0.44204, -0.992402, -0.773146, -0.22226, -0.973667, -0.939089, 0, 0, 0, -0.123708, 0.912781, 0.0613093, 0, 0, 0, 0.456363, 0.387109, -0.978196, 0, 0, 0, 0.661296, 0.704565, 0.0610076, 0, 0, 0, -0.596648, -0.965068, -0.14192])
        assertClose(out["Y_h"]!.floats, [0.221659, 0.202995, 0.80765, 0.661296, 0.704565, 0.0610076, -0.44204, -0.992402, -0.773146, -0.22226, -0.973667, -0.939089])
    }

    /// Malformed nodes give an `EngineError` with the given code, naming the node.
    private func assertRefused(_ op: String, w: [Int], r: [Int], x: [Int] = [2, 1, 2], attributes: [String: TestAttribute] = [:],
                               extra: [(String, Tensor)] = [], _ code: EngineError.Code, file: StaticString = #filePath, line: UInt = #line) {
        let count = { (shape: [Int]) in shape.reduce(1, *) }
        var order = ["X", "W", "R"] + ["B", "sequence_lens"].map { name in extra.contains { $0.0 == name } ? name : "" }
        while order.last == "" { order.removeLast() }
        XCTAssertThrowsError(try runOp(op, inputs: [("X", .f(x, randomFloats(count(x), seed: 1)))] + extra,
                                       constants: [("W", .f(w, randomFloats(count(w), seed: 2))), ("R", .f(r, randomFloats(count(r), seed: 3)))],
                                       order: order, attributes: attributes), file: file, line: line) { error in
            XCTAssertEqual((error as? EngineError)?.code, code, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains("node0"), "\(error)", file: file, line: line)
        }
    }

    func testMalformedGRUAndRNNAreRefused() {
        // W's gate rows must be 3 · hidden for GRU, hidden for RNN.
        assertRefused("GRU", w: [1, 4, 2], r: [1, 4, 1], .shapeMismatch)
        assertRefused("RNN", w: [1, 3, 2], r: [1, 1, 1], .shapeMismatch)
        // Wrong ranks.
        assertRefused("RNN", w: [1, 1, 2], r: [1, 1], .invalidModel)
        assertRefused("GRU", w: [1, 3, 2], r: [1, 3, 1], x: [2, 2], .invalidModel)
        // Unknown attribute values.
        assertRefused("GRU", w: [1, 3, 2], r: [1, 3, 1], attributes: ["direction": .string("sideways")], .unsupportedAttribute)
        assertRefused("GRU", w: [1, 3, 2], r: [1, 3, 1], attributes: ["linear_before_reset": .int(2)], .unsupportedAttribute)
        assertRefused("RNN", w: [1, 1, 2], r: [1, 1, 1], attributes: ["layout": .int(3)], .unsupportedAttribute)
        assertRefused("RNN", w: [1, 1, 2], r: [1, 1, 1], attributes: ["activations": .strings(["Relu"])], .unsupportedAttribute)
        // Negative sizes.
        assertRefused("RNN", w: [1, 1, 2], r: [1, 1, 1], attributes: ["hidden_size": .int(-1)], .invalidModel)
        assertRefused("GRU", w: [1, 3, 2], r: [1, 3, 1], attributes: ["clip": .float(-1)], .invalidModel)
        // A bias of the wrong length, sequence lengths past the steps.
        assertRefused("RNN", w: [1, 1, 2], r: [1, 1, 1], extra: [("B", .f([1, 3], [0, 0, 0]))], .shapeMismatch)
        assertRefused("GRU", w: [1, 3, 2], r: [1, 3, 1], extra: [("B", .f([1, 6], [0, 0, 0, 0, 0, 0])),
                                                                ("sequence_lens", try! Tensor(shape: [1], scalars: [Int32(3)]))], .invalidInput)
    }
}
