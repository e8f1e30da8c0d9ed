import XCTest
@testable import SparseEngine

final class LSTMOperatorTests: XCTestCase {
    /// The ONNX LSTM equations, item by item and step by step (default activations, no peepholes), with X
    /// [seq, batch, input]: Y [seq, directions, batch, hidden], Y_h and Y_c [directions, batch, hidden].
    private func reference(x: [Float], w: [Float], r: [Float], b: [Float], lengths: [Int], h0: [Float], c0: [Float],
                           steps: Int, batch: Int, input: Int, hidden: Int, reverse: [Bool]) -> (y: [Float], h: [Float], c: [Float]) {
        let dirs = reverse.count
        var y = [Float](repeating: 0, count: steps * dirs * batch * hidden)
        var hOut = [Float](repeating: 0, count: dirs * batch * hidden), cOut = hOut
        func sigmoid(_ v: Float) -> Float { 1 / (1 + exp(-v)) }
        for d in 0..<dirs {
            for item in 0..<batch {
                var h = Array(h0[(d * batch + item) * hidden..<(d * batch + item + 1) * hidden])
                var c = Array(c0[(d * batch + item) * hidden..<(d * batch + item + 1) * hidden])
                let order = reverse[d] ? Array((0..<lengths[item]).reversed()) : Array(0..<lengths[item])
                for t in order {
                    var gate = [Float](repeating: 0, count: 4 * hidden)
                    for g in 0..<4 * hidden {
                        var sum = b[d * 8 * hidden + g] + b[d * 8 * hidden + 4 * hidden + g]
                        for k in 0..<input { sum += x[(t * batch + item) * input + k] * w[(d * 4 * hidden + g) * input + k] }
                        for k in 0..<hidden { sum += h[k] * r[(d * 4 * hidden + g) * hidden + k] }
                        gate[g] = sum
                    }
                    for k in 0..<hidden {
                        let i = sigmoid(gate[k]), o = sigmoid(gate[hidden + k]), f = sigmoid(gate[2 * hidden + k])
                        c[k] = f * c[k] + i * tanh(gate[3 * hidden + k])
                        h[k] = o * tanh(c[k])
                        y[((t * dirs + d) * batch + item) * hidden + k] = h[k]
                    }
                }
                for k in 0..<hidden {
                    hOut[(d * batch + item) * hidden + k] = h[k]
                    cOut[(d * batch + item) * hidden + k] = c[k]
                }
            }
        }
        return (y, hOut, cOut)
    }

    /// Bidirectional, with biases, initial states and a shorter second sequence (ddddocr's and Silero's LSTMs).
    func testBidirectionalWithSequenceLengthsMatchesTheEquations() throws {
        let (steps, batch, input, hidden) = (4, 2, 3, 5)
        let x = randomFloats(steps * batch * input, seed: 1), w = randomFloats(2 * 4 * hidden * input, seed: 2)
        let r = randomFloats(2 * 4 * hidden * hidden, seed: 3), b = randomFloats(2 * 8 * hidden, seed: 4)
        let h0 = randomFloats(2 * batch * hidden, seed: 5), c0 = randomFloats(2 * batch * hidden, seed: 6)
        let lengths = [4, 2]
        let out = try runOp("LSTM", inputs: [("X", .f([steps, batch, input], x)), ("sequence_lens", try Tensor(shape: [batch], scalars: lengths.map(Int32.init))),
                                             ("initial_h", .f([2, batch, hidden], h0)), ("initial_c", .f([2, batch, hidden], c0))],
                            constants: [("W", .f([2, 4 * hidden, input], w)), ("R", .f([2, 4 * hidden, hidden], r)), ("B", .f([2, 8 * hidden], b))],
                            order: ["X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c"], outputs: ["Y", "Y_h", "Y_c"],
                            attributes: ["hidden_size": .int(hidden), "direction": .string("bidirectional")])
        let expected = reference(x: x, w: w, r: r, b: b, lengths: lengths, h0: h0, c0: c0, steps: steps, batch: batch,
                                 input: input, hidden: hidden, reverse: [false, true])
        XCTAssertEqual(out["Y"]!.shape, [steps, 2, batch, hidden])
        assertClose(out["Y"]!.floats, expected.y)
        assertClose(out["Y_h"]!.floats, expected.h)
        assertClose(out["Y_c"]!.floats, expected.c)
    }

    /// Activations other than the defaults are refused by name.
    func testOtherActivationsAreRefused() {
        XCTAssertThrowsError(try runOp("LSTM", inputs: [("X", .f([1, 1, 1], [0]))],
                                       constants: [("W", .f([1, 4, 1], [0, 0, 0, 0])), ("R", .f([1, 4, 1], [0, 0, 0, 0]))],
                                       attributes: ["hidden_size": .int(1), "activations": .strings(["Relu", "Tanh", "Tanh"])])) { error in
            XCTAssertEqual((error as? EngineError)?.code, .unsupportedAttribute)
        }
    }
}
