import XCTest
@testable import SparseEngine

/// `QDQPropagation`: a Transpose and a Flatten between a DequantizeLinear and a QuantizeLinear of the same parameters run
/// on the 8-bit tensor, with the unoptimized graph's exact outputs; one whose QuantizeLinear differs stays float.
final class QDQPropagationTests: XCTestCase {
    func testMovementRunsOnQuantizedTensors() throws {
        var m = TestModel()
        m.nodes = [TestNode("QuantizeLinear", ["x", "s", "z"], ["q0"]), TestNode("DequantizeLinear", ["q0", "s", "z"], ["d0"]),
                   TestNode("Transpose", ["d0"], ["t"], ["perm": .ints([0, 1, 3, 2])]),
                   TestNode("QuantizeLinear", ["t", "s", "z"], ["q1"]), TestNode("DequantizeLinear", ["q1", "s", "z"], ["d1"]),
                   TestNode("Flatten", ["d1"], ["p"]),
                   TestNode("QuantizeLinear", ["p", "s", "z"], ["q2"]), TestNode("DequantizeLinear", ["q2", "s", "z"], ["d2"]),
                   TestNode("Reshape", ["d2", "shape"], ["r"]),
                   TestNode("QuantizeLinear", ["r", "s2", "z"], ["q3"]), TestNode("DequantizeLinear", ["q3", "s2", "z"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 3, 9, 8])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("s", .f([], [0.02])), ("s2", .f([], [0.05])), ("z", try Tensor(shape: [], scalars: [UInt8(120)])), ("shape", .i64([2], [3, -1]))]
        let onnx = try ONNXModel(data: m.data())
        let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
        let moved = try InferenceSession(model: onnx, options: .init(threads: 2))
        // QuantizeLinear(x), Transpose, Flatten, DequantizeLinear, Reshape, QuantizeLinear, DequantizeLinear.
        XCTAssertEqual(moved.nodeCount, 7)
        let x = Tensor.f([1, 3, 9, 8], randomFloats(216, seed: 1).map { $0 * 3 })
        XCTAssertEqual(try moved.run(["x": x])["y"]!.floats, try plain.run(["x": x])["y"]!.floats)
    }

    func testMaxPoolAndConcatRunOnQuantizedTensors() throws {
        var m = TestModel()
        m.nodes = [TestNode("QuantizeLinear", ["x", "s", "z"], ["q0"]), TestNode("DequantizeLinear", ["q0", "s", "z"], ["d0"]),
                   TestNode("MaxPool", ["d0"], ["p"], ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])]),
                   TestNode("QuantizeLinear", ["p", "s", "z"], ["q1"]), TestNode("DequantizeLinear", ["q1", "s", "z"], ["d1"]),
                   TestNode("QuantizeLinear", ["x2", "s", "z"], ["q2"]), TestNode("DequantizeLinear", ["q2", "s", "z"], ["d2"]),
                   TestNode("Concat", ["d1", "d2"], ["c"], ["axis": .int(1)]),
                   TestNode("QuantizeLinear", ["c", "s", "z"], ["q3"]), TestNode("DequantizeLinear", ["q3", "s", "z"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 3, 9, 8]), .init(name: "x2", type: .float, dims: [1, 2, 5, 4])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("s", .f([], [0.02])), ("z", try Tensor(shape: [], scalars: [UInt8(120)]))]
        let onnx = try ONNXModel(data: m.data())
        let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
        let moved = try InferenceSession(model: onnx, options: .init(threads: 2))
        // QuantizeLinear ×2, MaxPool, Concat, DequantizeLinear.
        XCTAssertEqual(moved.nodeCount, 5)
        let feeds = ["x": Tensor.f([1, 3, 9, 8], randomFloats(216, seed: 2).map { $0 * 3 }), "x2": Tensor.f([1, 2, 5, 4], randomFloats(40, seed: 3))]
        XCTAssertEqual(try moved.run(feeds)["y"]!.floats, try plain.run(feeds)["y"]!.floats)
    }
}
