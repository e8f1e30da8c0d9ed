import XCTest
@testable import SparseEngine

/// `QDQFusion`: ONNX Runtime's QDQ layers (Conv with an int32 bias and a Relu, MatMul, Gemm with transB and a float
/// bias) become integer nodes whose outputs stay within one quantization step of the unfused graph's, as does a
/// quantized Add with a Relu (ONNX Runtime's QLinearAdd rounding, not the float operators').
final class QDQFusionTests: XCTestCase {
    private func int8s(_ count: Int, seed: UInt64) -> [Int8] {
        randomFloats(count, seed: seed).map { Int8(max(-127, min(127, ($0 * 127).rounded()))) }
    }

    private func compare(_ m: TestModel, input: Tensor, nodes: Int, step: Float) throws {
        let onnx = try ONNXModel(data: m.data())
        let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
        let fused = try InferenceSession(model: onnx, options: .init(threads: 2))
        XCTAssertEqual(fused.nodeCount, nodes)
        let expected = try plain.run(["x": input])["z"]!.floats, got = try fused.run(["x": input])["z"]!.floats
        XCTAssertEqual(got.count, expected.count)
        for (a, b) in zip(got, expected) where abs(a - b) > step * 1.001 { XCTFail("\(a) against \(b)"); break }
    }

    func testConvolutionAndMatMulBecomeIntegerNodes() throws {
        let xs: Float = 0.02, ws = (0..<6).map { 0.004 + Float($0) * 0.001 }
        var m = TestModel()
        m.nodes = [TestNode("QuantizeLinear", ["x", "xs", "xz"], ["xq"]), TestNode("DequantizeLinear", ["xq", "xs", "xz"], ["xd"]),
                   TestNode("DequantizeLinear", ["wq", "ws", "wz"], ["wd"], ["axis": .int(0)]),
                   TestNode("DequantizeLinear", ["bq", "bs"], ["bd"], ["axis": .int(0)]),
                   TestNode("Conv", ["xd", "wd", "bd"], ["c"], ["pads": .ints([1, 1, 1, 1])]), TestNode("Relu", ["c"], ["r"]),
                   TestNode("QuantizeLinear", ["r", "ys", "yz"], ["yq"]), TestNode("DequantizeLinear", ["yq", "ys", "yz"], ["yd"]),
                   TestNode("DequantizeLinear", ["vq", "vs"], ["vd"], ["axis": .int(1)]),
                   TestNode("MatMul", ["yd", "vd"], ["p"]),
                   TestNode("QuantizeLinear", ["p", "zs", "zz"], ["zq"]), TestNode("DequantizeLinear", ["zq", "zs", "zz"], ["z"])]
        m.inputs = [.init(name: "x", type: .float, dims: [2, 4, 8, 8])]
        m.outputs = [.init(name: "z", type: .float, dims: nil)]
        m.initializers = [("xs", .f([], [xs])), ("xz", try Tensor(shape: [], scalars: [UInt8(128)])),
                          ("wq", try Tensor(shape: [6, 4, 3, 3], scalars: int8s(216, seed: 1))), ("ws", .f([6], ws)),
                          ("wz", try Tensor(shape: [6], scalars: [Int8](repeating: 0, count: 6))),
                          ("bq", try Tensor(shape: [6], scalars: (0..<6).map { Int32($0 * 150 - 400) })), ("bs", .f([6], ws.map { $0 * xs })),
                          ("ys", .f([], [0.01])), ("yz", try Tensor(shape: [], scalars: [UInt8(0)])),
                          ("vq", try Tensor(shape: [8, 5], scalars: int8s(40, seed: 2))), ("vs", .f([5], [0.01, 0.02, 0.03, 0.02, 0.01])),
                          ("zs", .f([], [0.005])), ("zz", try Tensor(shape: [], scalars: [UInt8(100)]))]
        let x = Tensor.f([2, 4, 8, 8], randomFloats(512, seed: 3).map { $0 * 2 })
        // Left: QuantizeLinear(x), QLinearConv, QLinearMatMul, DequantizeLinear(z).
        try compare(m, input: x, nodes: 4, step: 0.005)
    }

    func testGemmWithTransposedWeightAndFloatBias() throws {
        var m = TestModel()
        m.nodes = [TestNode("QuantizeLinear", ["x", "xs", "xz"], ["xq"]), TestNode("DequantizeLinear", ["xq", "xs", "xz"], ["xd"]),
                   TestNode("DequantizeLinear", ["wq", "ws"], ["wd"], ["axis": .int(0)]),
                   TestNode("Gemm", ["xd", "wd", "b"], ["g"], ["transB": .int(1)]),
                   TestNode("QuantizeLinear", ["g", "ys", "yz"], ["yq"]), TestNode("DequantizeLinear", ["yq", "ys", "yz"], ["z"])]
        m.inputs = [.init(name: "x", type: .float, dims: [3, 10])]
        m.outputs = [.init(name: "z", type: .float, dims: nil)]
        m.initializers = [("xs", .f([], [0.01])), ("xz", try Tensor(shape: [], scalars: [Int8(-5)])),
                          ("wq", try Tensor(shape: [7, 10], scalars: int8s(70, seed: 4))), ("ws", .f([7], (0..<7).map { 0.01 + Float($0) * 0.002 })),
                          ("b", .f([7], randomFloats(7, seed: 5))), ("ys", .f([], [0.02])), ("yz", try Tensor(shape: [], scalars: [Int8(3)]))]
        try compare(m, input: .f([3, 10], randomFloats(30, seed: 6)), nodes: 3, step: 0.02)
    }

    func testResidualAddRunsOnTheQuantizedTensors() throws {
        // The second operand: x itself (equal shapes), a constant broadcast over rows, a constant scalar.
        for constant in [nil, [3, 1, 70], []] as [[Int]?] {
            var m = TestModel()
            m.nodes = [TestNode("QuantizeLinear", ["x", "as", "az"], ["aq"]), TestNode("DequantizeLinear", ["aq", "as", "az"], ["ad"]),
                       TestNode("DequantizeLinear", ["bq", "bs"], ["bd"]),
                       TestNode("Add", ["ad", "bd"], ["s"]), TestNode("Relu", ["s"], ["r"]),
                       TestNode("QuantizeLinear", ["r", "ys", "yz"], ["yq"]), TestNode("DequantizeLinear", ["yq", "ys", "yz"], ["z"])]
            if constant == nil { m.nodes.insert(TestNode("QuantizeLinear", ["x", "bs"], ["bq"]), at: 2) }
            m.inputs = [.init(name: "x", type: .float, dims: [2, 3, 50, 70])]
            m.outputs = [.init(name: "z", type: .float, dims: nil)]
            m.initializers = [("as", .f([], [0.013])), ("az", try Tensor(shape: [], scalars: [Int8(-7)])), ("bs", .f([], [0.021])),
                              ("ys", .f([], [0.03])), ("yz", try Tensor(shape: [], scalars: [UInt8(90)]))]
            if let constant {
                let count = constant.reduce(1, *)
                m.initializers.append(("bq", try Tensor(shape: constant, scalars: (0..<count).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) })))
            }
            try compare(m, input: .f([2, 3, 50, 70], randomFloats(21_000, seed: 7).map { $0 * 3 }), nodes: constant == nil ? 4 : 3, step: 0.03)
        }
    }
}
