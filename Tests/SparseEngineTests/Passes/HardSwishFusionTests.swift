import XCTest
@testable import SparseEngine

/// `HardSwishFusion`: HardSwish as Paddle2ONNX writes it out before opset 14 becomes one `HardSwish`, with the
/// unoptimized outputs.
final class HardSwishFusionTests: XCTestCase {
    private func model(swapped: Bool, byMul: Bool = false, clipHigh: Float = 6) -> TestModel {
        var m = TestModel()
        m.opset = 11
        m.nodes = [TestNode("Add", swapped ? ["three", "x"] : ["x", "three"], ["a"]),
                   TestNode("Clip", ["a", "zero", "high"], ["c"]),
                   TestNode("Mul", swapped ? ["c", "x"] : ["x", "c"], ["p"]),
                   byMul ? TestNode("Mul", ["p", "sixth"], ["y"]) : TestNode("Div", ["p", "six"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [2, 70])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("three", .f([], [3])), ("zero", .f([], [0])), ("high", .f([], [clipHigh])), ("six", .f([], [6])),
                          ("sixth", .f([], [1 / 6]))]
        return m
    }

    func testWrittenOutHardSwishBecomesOneNode() throws {
        for (swapped, byMul) in [(false, false), (true, false), (false, true)] {
            let onnx = try ONNXModel(data: model(swapped: swapped, byMul: byMul).data())
            let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
            let fused = try InferenceSession(model: onnx, options: .init(threads: 2))
            XCTAssertEqual(fused.nodeCount, 1)
            let x = Tensor.f([2, 70], randomFloats(140, seed: 5).map { $0 * 8 })
            assertClose(try fused.run(["x": x])["y"]!.floats, try plain.run(["x": x])["y"]!.floats, tolerance: 1e-6)
        }
    }

    /// Other bounds leave the operators alone.
    func testOtherBoundsStay() throws {
        XCTAssertEqual(try InferenceSession(model: try ONNXModel(data: model(swapped: false, clipHigh: 5).data()),
                                            options: .init(threads: 1)).nodeCount, 4)
    }
}
