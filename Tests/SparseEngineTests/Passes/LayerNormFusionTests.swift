import XCTest
@testable import SparseEngine

/// `LayerNormFusion`: layer normalization written out in basic operators (PyTorch before opset 17) becomes one
/// `LayerNormalization`, with the same outputs as the unoptimized graph.
final class LayerNormFusionTests: XCTestCase {
    private func model(scaleAndBias: Bool, epsilon: Float = 1e-5) -> TestModel {
        var m = TestModel()
        m.opset = 14
        m.nodes = [
            TestNode("ReduceMean", ["x"], ["mean"], ["axes": .ints([-1])]),
            TestNode("Sub", ["x", "mean"], ["d"]),
            TestNode("Pow", ["d", "two"], ["p"]),
            TestNode("ReduceMean", ["p"], ["variance"], ["axes": .ints([-1])]),
            TestNode("Add", ["variance", "eps"], ["ve"]),
            TestNode("Sqrt", ["ve"], ["s"]),
            TestNode("Div", ["d", "s"], [scaleAndBias ? "n" : "y"]),
        ]
        m.initializers = [("two", .f([], [2])), ("eps", .f([], [epsilon]))]
        if scaleAndBias {
            m.nodes += [TestNode("Mul", ["n", "gamma"], ["g"]), TestNode("Add", ["g", "beta"], ["y"])]
            m.initializers += [("gamma", .f([20], randomFloats(20, seed: 1))), ("beta", .f([20], randomFloats(20, seed: 2)))]
        }
        m.inputs = [.init(name: "x", type: .float, dims: [2, 3, 20])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        return m
    }

    func testTheWrittenOutFormBecomesOneNode() throws {
        let onnx = try ONNXModel(data: model(scaleAndBias: true).data())
        let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
        let fused = try InferenceSession(model: onnx, options: .init(threads: 2))
        XCTAssertEqual(fused.nodeCount, 1)
        XCTAssertEqual(fused.summary.operatorCounts["LayerNormalization"], 1, "fused although the model's opset (14) predates the operator")
        let x = Tensor.f([2, 3, 20], randomFloats(120, seed: 3).map { $0 * 5 + 1 })
        assertClose(try fused.run(["x": x])["y"]!.floats, try plain.run(["x": x])["y"]!.floats, tolerance: 1e-5)
    }

    /// Without a scale to fold there is no LayerNormalization to make (its scale input is required), and a
    /// reduction over another axis is not a layer norm: both stay as they are.
    func testOtherShapesOfThePatternStay() throws {
        let noScale = try InferenceSession(model: try ONNXModel(data: model(scaleAndBias: false).data()), options: .init(threads: 1))
        XCTAssertNil(noScale.summary.operatorCounts["LayerNormalization"])
        var otherAxis = model(scaleAndBias: true)
        otherAxis.nodes[0].attributes["axes"] = .ints([1])
        let session = try InferenceSession(model: try ONNXModel(data: otherAxis.data()), options: .init(threads: 1))
        XCTAssertNil(session.summary.operatorCounts["LayerNormalization"])
    }
}
