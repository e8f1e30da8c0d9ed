import XCTest
@testable import SparseEngine

/// `SiLUFusion`: `x · Sigmoid(x)` after a Conv (dense or sparse) folds into it, with the unoptimized outputs.
final class SiLUFusionTests: XCTestCase {
    func testSigmoidTimesInputFoldsIntoTheConvolution() throws {
        for (sparsity, operandsSwapped) in [(0.0, false), (0.9, true)] {
            var m = TestModel()
            m.nodes = [TestNode("Conv", ["x", "w", "b"], ["c"], ["pads": .ints([1, 1, 1, 1])]),
                       TestNode("Sigmoid", ["c"], ["s"]),
                       TestNode("Mul", operandsSwapped ? ["s", "c"] : ["c", "s"], ["y"])]
            m.inputs = [.init(name: "x", type: .float, dims: [1, 8, 9, 9])]
            m.outputs = [.init(name: "y", type: .float, dims: nil)]
            m.initializers = [("w", .f([16, 8, 3, 3], prunedFloats(16 * 8 * 9, sparsity: sparsity, seed: 1))), ("b", .f([16], randomFloats(16, seed: 2)))]
            let onnx = try ONNXModel(data: m.data())
            let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
            let fused = try InferenceSession(model: onnx, options: .init(threads: 2))
            XCTAssertEqual(fused.nodeCount, 1)
            let x = Tensor.f([1, 8, 9, 9], randomFloats(648, seed: 3).map { $0 * 4 })
            assertClose(try fused.run(["x": x])["y"]!.floats, try plain.run(["x": x])["y"]!.floats, tolerance: 1e-5)
        }
    }

    /// A Sigmoid whose output is read elsewhere too is left alone.
    func testASharedSigmoidStays() throws {
        var m = TestModel()
        m.nodes = [TestNode("Conv", ["x", "w"], ["c"]), TestNode("Sigmoid", ["c"], ["s"]), TestNode("Mul", ["c", "s"], ["y"]),
                   TestNode("Relu", ["s"], ["z"])]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 2, 3, 3])]
        m.outputs = [.init(name: "y", type: .float, dims: nil), .init(name: "z", type: .float, dims: nil)]
        m.initializers = [("w", .f([2, 2, 1, 1], [1, 2, 3, 4]))]
        XCTAssertEqual(try InferenceSession(model: try ONNXModel(data: m.data()), options: .init(threads: 1)).nodeCount, 4)
    }
}
