import XCTest
@testable import SparseEngine

/// `GeluFusion`: the exact GELU as PyTorch writes it out before opset 20 becomes one `Gelu`, with the unoptimized outputs.
final class GeluFusionTests: XCTestCase {
    private func model(swapped: Bool, halfFactor: Float = 0.5, extraReader: Bool = false) -> TestModel {
        var m = TestModel()
        m.opset = 17
        m.nodes = [TestNode("Div", ["x", "root2"], ["d"]), TestNode("Erf", ["d"], ["e"]),
                   TestNode("Add", swapped ? ["one", "e"] : ["e", "one"], ["a"]),
                   TestNode("Mul", swapped ? ["a", "x"] : ["x", "a"], ["p"]),
                   TestNode("Mul", swapped ? ["half", "p"] : ["p", "half"], ["y"])]
        if extraReader { m.nodes.append(TestNode("Relu", ["e"], ["z"])) }
        m.inputs = [.init(name: "x", type: .float, dims: [2, 70])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)] + (extraReader ? [.init(name: "z", type: .float, dims: nil)] : [])
        m.initializers = [("root2", .f([], [Float(2).squareRoot()])), ("one", .f([], [1])), ("half", .f([], [halfFactor]))]
        return m
    }

    func testWrittenOutGeluBecomesOneNode() throws {
        for swapped in [false, true] {
            let onnx = try ONNXModel(data: model(swapped: swapped).data())
            let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
            let fused = try InferenceSession(model: onnx, options: .init(threads: 2))
            XCTAssertEqual(fused.nodeCount, 1)
            let x = Tensor.f([2, 70], randomFloats(140, seed: 3).map { $0 * 6 })
            assertClose(try fused.run(["x": x])["y"]!.floats, try plain.run(["x": x])["y"]!.floats, tolerance: 1e-6)
        }
    }

    /// Another constant, or an intermediate read elsewhere, leaves the operators alone.
    func testOtherFormsStay() throws {
        XCTAssertEqual(try InferenceSession(model: try ONNXModel(data: model(swapped: false, halfFactor: 0.4).data()),
                                            options: .init(threads: 1)).nodeCount, 5)
        XCTAssertEqual(try InferenceSession(model: try ONNXModel(data: model(swapped: false, extraReader: true).data()),
                                            options: .init(threads: 1)).nodeCount, 6)
    }
}
