import XCTest
@testable import SparseEngine

/// `SiLUFusion`: `x · Sigmoid(x)` after a Conv (dense or sparse) folds into it, with the unoptimized outputs.
final class SiLUFusionTests: XCTestCase {
    /// Dense convolutions over pixels (9×9) and over channels (7×7, 64 channels, where the epilogue applies the
    /// SiLU), and a sparse one.
    func testSigmoidTimesInputFoldsIntoTheConvolution() throws {
        for (sparsity, operandsSwapped, size, outChannels) in [(0.0, false, 9, 16), (0.0, false, 7, 64), (0.9, true, 9, 16)] {
            var m = TestModel()
            m.nodes = [TestNode("Conv", ["x", "w", "b"], ["c"], ["pads": .ints([1, 1, 1, 1])]),
                       TestNode("Sigmoid", ["c"], ["s"]),
                       TestNode("Mul", operandsSwapped ? ["s", "c"] : ["c", "s"], ["y"])]
            m.inputs = [.init(name: "x", type: .float, dims: [1, 8, size, size])]
            m.outputs = [.init(name: "y", type: .float, dims: nil)]
            m.initializers = [("w", .f([outChannels, 8, 3, 3], prunedFloats(outChannels * 8 * 9, sparsity: sparsity, seed: 1))),
                              ("b", .f([outChannels], randomFloats(outChannels, seed: 2)))]
            let onnx = try ONNXModel(data: m.data())
            let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
            let fused = try InferenceSession(model: onnx, options: .init(threads: 2))
            XCTAssertEqual(fused.nodeCount, 1)
            let x = Tensor.f([1, 8, size, size], randomFloats(8 * size * size, seed: 3).map { $0 * 4 })
            assertClose(try fused.run(["x": x])["y"]!.floats, try plain.run(["x": x])["y"]!.floats, tolerance: 1e-5)
        }
    }

    /// A residual Add folded into the convolution comes before the SiLU, whether the epilogue adds it (same shape)
    /// or a pass after the convolution does (broadcast).
    func testFusedResidualComesBeforeTheSiLU() throws {
        for addendShape in [[1, 16, 9, 9], [1, 16, 1, 1]] {
            var m = TestModel()
            m.nodes = [TestNode("Conv", ["x", "w", "b"], ["c"], ["pads": .ints([1, 1, 1, 1])]), TestNode("Add", ["c", "r"], ["a"]),
                       TestNode("Sigmoid", ["a"], ["s"]), TestNode("Mul", ["a", "s"], ["y"])]
            m.inputs = [.init(name: "x", type: .float, dims: [1, 8, 9, 9]), .init(name: "r", type: .float, dims: addendShape)]
            m.outputs = [.init(name: "y", type: .float, dims: nil)]
            m.initializers = [("w", .f([16, 8, 3, 3], randomFloats(16 * 8 * 9, seed: 1))), ("b", .f([16], randomFloats(16, seed: 2)))]
            let onnx = try ONNXModel(data: m.data())
            let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
            let fused = try InferenceSession(model: onnx, options: .init(threads: 2))
            XCTAssertEqual(fused.nodeCount, 1)
            let feeds = ["x": Tensor.f([1, 8, 9, 9], randomFloats(648, seed: 3).map { $0 * 4 }),
                         "r": Tensor.f(addendShape, randomFloats(addendShape.reduce(1, *), seed: 4).map { $0 * 4 })]
            assertClose(try fused.run(feeds)["y"]!.floats, try plain.run(feeds)["y"]!.floats, tolerance: 1e-5)
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
