import XCTest
@testable import SparseEngine

/// `QDQSoftmaxFusion`: DequantizeLinear → Softmax → QuantizeLinear gives ONNX Runtime's bytes (its QLinearSoftmax
/// scales by ⌊1 / y_scale⌋ = 254 for the quantizer's y_scale 1/255, the float operators by 255); and a
/// quantized MatMul of two activations (attention's) runs as an integer node.
final class QDQSoftmaxFusionTests: XCTestCase {
    func testSoftmaxRoundsAsOnnxRuntime() throws {
        var m = TestModel()
        m.nodes = [TestNode("QuantizeLinear", ["x", "xs", "xz"], ["xq"]), TestNode("DequantizeLinear", ["xq", "xs", "xz"], ["xd"]),
                   TestNode("Softmax", ["xd"], ["p"], ["axis": .int(-1)]), TestNode("QuantizeLinear", ["p", "ys", "yz"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [2, 2])]
        m.outputs = [.init(name: "y", type: .uint8, dims: nil)]
        m.initializers = [("xs", .f([], [0.01])), ("xz", try Tensor(shape: [], scalars: [UInt8(128)])),
                          ("ys", .f([], [Float(1) / 255])), ("yz", try Tensor(shape: [], scalars: [UInt8(0)]))]
        let session = try InferenceSession(model: try ONNXModel(data: m.data()), options: .init(threads: 1))
        XCTAssertEqual(session.nodeCount, 2)
        let y = try session.run(["x": .f([2, 2], [0.3, 0.3, 1, -1])])["y"]!
        // Equal inputs: 254 · e / 2e = 127. Inputs 2 apart: 254 / (1 + e⁻²) = 223.7 → 224 and 254 / (1 + e²) = 30.3 → 30
        // (the float operators: 255 / (1 + e⁻²) = 224.6 → 225).
        XCTAssertEqual(Array(y.buffer(UInt8.self)), [127, 127, 224, 30])
    }

    func testProductOfActivationsIsExactInIntegers() throws {
        var m = TestModel()
        m.nodes = [TestNode("QuantizeLinear", ["x", "s", "z"], ["q"]), TestNode("DequantizeLinear", ["q", "s", "z"], ["d"]),
                   TestNode("Transpose", ["d"], ["t"], ["perm": .ints([0, 2, 1])]),
                   TestNode("QuantizeLinear", ["t", "s", "z"], ["tq"]), TestNode("DequantizeLinear", ["tq", "s", "z"], ["td"]),
                   TestNode("MatMul", ["d", "td"], ["p"]), TestNode("QuantizeLinear", ["p", "ys", "yz"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [2, 3, 40])]
        m.outputs = [.init(name: "y", type: .uint8, dims: nil)]
        m.initializers = [("s", .f([], [0.02])), ("z", try Tensor(shape: [], scalars: [UInt8(120)])),
                          ("ys", .f([], [0.05])), ("yz", try Tensor(shape: [], scalars: [UInt8(10)]))]
        let session = try InferenceSession(model: try ONNXModel(data: m.data()), options: .init(threads: 2))
        // QuantizeLinear, the Transpose on the 8-bit tensor, QLinearBatchMatMul.
        XCTAssertEqual(session.nodeCount, 3)
        let x = Tensor.f([2, 3, 40], randomFloats(240, seed: 9).map { $0 * 2 })
        let y = try session.run(["x": x])["y"]!
        // The integer sums of the quantized values, requantized by round_half_even(sum · 0.02² / 0.05) + 10.
        let q = x.floats.map { Int(min(max(($0 / 0.02).rounded(.toNearestOrEven) + 120, 0), 255)) - 120 }
        var expected: [UInt8] = []
        for b in 0..<2 { for i in 0..<3 { for j in 0..<3 {
            let sum = (0..<40).reduce(0) { $0 + q[(b * 3 + i) * 40 + $1] * q[(b * 3 + j) * 40 + $1] }
            let scale: Float = 0.02 * 0.02 / 0.05
            expected.append(UInt8(min(max((Float(sum) * scale).rounded(.toNearestOrEven) + 10, 0), 255)))
        } } }
        XCTAssertEqual(Array(y.buffer(UInt8.self)), expected)
    }
}
