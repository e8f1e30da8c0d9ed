import XCTest
@testable import SparseEngine

/// `QuantizedLayerNormOrder` and the two ways `LayerNormalization` sums: a layer norm whose output is quantized sums in
/// ONNX Runtime's order; the others in vector lanes, within float rounding of it.
final class QuantizedLayerNormOrderTests: XCTestCase {
    func testMarksOnlyLayerNormsReadByQuantizeLinear() throws {
        let nodes = [Node(opType: "LayerNormalization", inputs: ["x", "g", "b"], outputs: ["n0"]),
                     Node(opType: "QuantizeLinear", inputs: ["n0", "s", "z"], outputs: ["q"]),
                     Node(opType: "LayerNormalization", inputs: ["x", "g", "b"], outputs: ["n1"]),
                     Node(opType: "Relu", inputs: ["n1"], outputs: ["r"])]
        var g = Graph(nodes: nodes, inputs: [], outputs: [], initializers: [:])
        let changed = try QuantizedLayerNormOrder().apply(to: &g, opsets: [:], context: KernelContext(pool: ThreadPool(threads: 1)))
        XCTAssertEqual(changed, 1)
        XCTAssertNotNil(g.nodes[0].attributes[QuantizedLayerNormOrder.attribute])
        XCTAssertNil(g.nodes[2].attributes[QuantizedLayerNormOrder.attribute])
    }

    /// Rows of 70 floats (four vectors and a tail) far from zero mean, where the order of the sums shows: a
    /// LayerNormalization followed by QuantizeLinear equals ONNX Runtime's formula evaluated in its order bit for bit;
    /// without the quantized reader the lanes sum, within float rounding of it.
    func testOrderedSumsAreExactAndLaneSumsAgree() throws {
        let rows = 5, width = 70
        let gamma = randomFloats(width, seed: 1), beta = randomFloats(width, seed: 2)
        let values = randomFloats(rows * width, seed: 3).map { 10 + $0 * 3 }
        var expected: [Float] = []
        for r in 0..<rows {
            let row = values[(r * width)..<((r + 1) * width)]
            var sum: Float = 0, squares: Float = 0
            for v in row { sum += v; squares += v * v }
            let mean = sum / Float(width), deviation = (squares / Float(width) - mean * mean + 1e-5).squareRoot()
            for (j, v) in row.enumerated() { expected.append((v - mean) / deviation * gamma[j] + beta[j]) }
        }
        var m = TestModel()
        m.opset = 17
        m.nodes = [TestNode("LayerNormalization", ["x", "g", "b"], ["y"], ["axis": .int(-1)]),
                   TestNode("QuantizeLinear", ["y", "s", "z"], ["q"])]
        m.inputs = [.init(name: "x", type: .float, dims: [rows, width])]
        m.outputs = [.init(name: "y", type: .float, dims: nil), .init(name: "q", type: .uint8, dims: nil)]
        m.initializers = [("g", .f([width], gamma)), ("b", .f([width], beta)),
                          ("s", .f([], [0.01])), ("z", try Tensor(shape: [], scalars: [UInt8(128)]))]
        let x = Tensor.f([rows, width], values)
        let ordered = try InferenceSession(model: try ONNXModel(data: m.data()), options: .init(threads: 2))
        XCTAssertEqual(try ordered.run(["x": x])["y"]!.floats, expected)

        m.nodes.removeLast()
        m.outputs.removeLast()
        let lanes = try InferenceSession(model: try ONNXModel(data: m.data()), options: .init(threads: 2))
        let laneValues = try lanes.run(["x": x])["y"]!.floats
        XCTAssertNotEqual(laneValues, expected, "the lanes sum in another order")
        assertClose(laneValues, expected, tolerance: 1e-4)
    }
}
