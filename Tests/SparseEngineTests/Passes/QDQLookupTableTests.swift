import XCTest
@testable import SparseEngine

/// `QDQLookupTable`: elementwise chains between DequantizeLinear and QuantizeLinear (DistilBERT's GELU pieces) become
/// table lookups with the unoptimized graph's exact outputs; a DequantizeLinear read elsewhere too stays for that reader.
final class QDQLookupTableTests: XCTestCase {
    func testElementwiseChainsBecomeTables() throws {
        var m = TestModel()
        m.nodes = [TestNode("QuantizeLinear", ["x", "s", "z"], ["q0"]), TestNode("DequantizeLinear", ["q0", "s", "z"], ["d0"]),
                   TestNode("Div", ["d0", "root2"], ["v"]), TestNode("Erf", ["v"], ["e"]),
                   TestNode("QuantizeLinear", ["e", "se", "ze"], ["q1"]), TestNode("DequantizeLinear", ["q1", "se", "ze"], ["d1"]),
                   TestNode("Add", ["d1", "one"], ["a"]),
                   TestNode("QuantizeLinear", ["a", "sa"], ["q2"]), TestNode("DequantizeLinear", ["q2", "sa"], ["d2"]),
                   TestNode("Mul", ["d0", "d2"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [4, 300])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("s", .f([], [0.03])), ("z", try Tensor(shape: [], scalars: [Int8(5)])), ("root2", .f([], [1.4142135])),
                          ("se", .f([], [0.008])), ("ze", try Tensor(shape: [], scalars: [UInt8(128)])), ("one", .f([], [1])), ("sa", .f([], [0.009]))]
        let onnx = try ONNXModel(data: m.data())
        let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
        let tables = try InferenceSession(model: onnx, options: .init(threads: 2))
        // QuantizeLinear(x), DequantizeLinear (for the Mul), two lookups, DequantizeLinear, Mul.
        XCTAssertEqual(tables.nodeCount, 6)
        let x = Tensor.f([4, 300], randomFloats(1200, seed: 2).map { $0 * 4 })
        XCTAssertEqual(try tables.run(["x": x])["y"]!.floats, try plain.run(["x": x])["y"]!.floats)
    }
}
