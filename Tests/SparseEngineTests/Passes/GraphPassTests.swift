import XCTest
@testable import SparseEngine

final class GraphPassTests: XCTestCase {
    /// Conv → BatchNormalization → Relu, plus a dead branch and a foldable weight transpose.
    private func model() -> TestModel {
        var m = TestModel()
        m.nodes = [
            TestNode("Transpose", ["wT"], ["w"], ["perm": .ints([1, 0, 2, 3])]),
            TestNode("Conv", ["x", "w", "b"], ["c"], name: "conv", ["pads": .ints([1, 1, 1, 1])]),
            TestNode("BatchNormalization", ["c", "s", "bb", "m", "v"], ["n"], name: "bn", ["epsilon": .float(1e-3)]),
            TestNode("Relu", ["n"], ["y"]),
            TestNode("Sigmoid", ["x"], ["unused"]),
        ]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 3, 5, 5])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [
            ("wT", .f([3, 4, 3, 3], randomFloats(108, seed: 5))), ("b", .f([4], [0.1, -0.2, 0.3, 0])),
            ("s", .f([4], [1, 2, 0.5, -1])), ("bb", .f([4], [0, 1, -1, 0.5])),
            ("m", .f([4], [0.1, 0.2, -0.3, 0])), ("v", .f([4], [1, 0.5, 2, 0.25])),
        ]
        return m
    }

    func testOptimizedGraphMatchesUnoptimized() throws {
        let onnx = try ONNXModel(data: model().data())
        let x = Tensor.f([1, 3, 5, 5], randomFloats(75, seed: 6))
        let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
        let fast = try InferenceSession(model: onnx, options: .init(threads: 2, optimize: true))
        XCTAssertEqual(plain.nodeCount, 5)
        XCTAssertEqual(fast.nodeCount, 1, "transpose folded, BN folded, Relu fused, Sigmoid removed")
        let expected = try plain.run(["x": x])["y"]!.floats
        XCTAssertTrue(expected.contains(0) && expected.contains { $0 > 0 }, "the Relu must matter for this test")
        assertClose(try fast.run(["x": x])["y"]!.floats, expected, tolerance: 1e-4)
    }

    func testBatchNormFoldingArithmetic() throws {
        // 1×1 conv with weight 2, bias 1, then BN(scale 3, bias 4, mean 5, var 1-ε): y = 3·(2x + 1 − 5) + 4.
        var m = TestModel()
        m.nodes = [TestNode("Conv", ["x", "w", "b"], ["c"]), TestNode("BatchNormalization", ["c", "s", "bb", "m", "v"], ["y"], ["epsilon": .float(0)])]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 1, 1, 2])]
        m.outputs = [.init(name: "y", type: nil, dims: nil)]
        m.initializers = [("w", .f([1, 1, 1, 1], [2])), ("b", .f([1], [1])), ("s", .f([1], [3])), ("bb", .f([1], [4])), ("m", .f([1], [5])), ("v", .f([1], [1]))]
        let session = try InferenceSession(model: ONNXModel(data: m.data()))
        XCTAssertEqual(session.nodeCount, 1)
        XCTAssertEqual(try session.run(["x": .f([1, 1, 1, 2], [0, 1])])["y"]!.floats, [-8, -2])
    }

    func testClipFusionIntoGemm() throws {
        var m = TestModel()
        m.nodes = [TestNode("Gemm", ["x", "w"], ["g"]), TestNode("Clip", ["g", "lo", "hi"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 2])]
        m.outputs = [.init(name: "y", type: nil, dims: nil)]
        m.initializers = [("w", .f([2, 3], [1, 0, -1, 0, 1, 4])), ("lo", .f([], [0])), ("hi", .f([], [6]))]
        let session = try InferenceSession(model: ONNXModel(data: m.data()))
        XCTAssertEqual(session.nodeCount, 1)
        XCTAssertEqual(try session.run(["x": .f([1, 2], [1, 2])])["y"]!.floats, [1, 2, 6])
    }

    func testFusionSkippedWhenIntermediateIsAnOutput() throws {
        var m = TestModel()
        m.nodes = [TestNode("Gemm", ["x", "w"], ["g"]), TestNode("Relu", ["g"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 1])]
        m.outputs = [.init(name: "y", type: nil, dims: nil), .init(name: "g", type: nil, dims: nil)]
        m.initializers = [("w", .f([1, 1], [-1]))]
        let session = try InferenceSession(model: ONNXModel(data: m.data()))
        XCTAssertEqual(session.nodeCount, 2)
        let out = try session.run(["x": .f([1, 1], [2])])
        XCTAssertEqual(out["g"]!.floats, [-2])
        XCTAssertEqual(out["y"]!.floats, [0])
    }
}
