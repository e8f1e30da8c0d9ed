import XCTest
@testable import SparseEngine

/// `AddFusion`: residual and bias Adds folded into Conv and MatMul, checked against the unoptimized graph.
final class AddFusionTests: XCTestCase {
    /// x → Conv → Add(skip = x) → Relu: ResNet's residual block in miniature (the Conv keeps the shape).
    func testResidualAddAndReluFoldIntoConv() throws {
        var m = TestModel()
        m.nodes = [
            TestNode("Conv", ["x", "w", "b"], ["c"], ["pads": .ints([1, 1, 1, 1])]),
            TestNode("Add", ["x", "c"], ["s"]),
            TestNode("Relu", ["s"], ["y"]),
        ]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 3, 4, 4])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("w", .f([3, 3, 3, 3], randomFloats(81, seed: 1))), ("b", .f([3], [0.5, -0.5, 0]))]
        try assertFusedMatchesPlain(m, input: .f([1, 3, 4, 4], randomFloats(48, seed: 2)), fusedNodes: 1, plainNodes: 3)
    }

    /// The same around a 1×1 Conv on a 7×7 image with 40 channels, which runs over channels, and a 3×3 one on a
    /// 20×20 image, which runs over pixels: the residual is added in either epilogue; on 128×128 images, one
    /// image at a time (`inPlaceSourceBytes`).
    func testResidualAddAndReluFoldIntoBothConvolutionForms() throws {
        for (kernel, size) in [(1, 7), (3, 20), (1, 128)] {
            var m = TestModel()
            m.nodes = [
                TestNode("Conv", ["x", "w", "b"], ["c"], ["pads": .ints([kernel / 2, kernel / 2, kernel / 2, kernel / 2])]),
                TestNode("Add", ["c", "x"], ["s"]),
                TestNode("Relu", ["s"], ["y"]),
            ]
            m.inputs = [.init(name: "x", type: .float, dims: [2, 40, size, size])]
            m.outputs = [.init(name: "y", type: .float, dims: nil)]
            m.initializers = [("w", .f([40, 40, kernel, kernel], randomFloats(1600 * kernel * kernel, seed: 6))),
                              ("b", .f([40], randomFloats(40, seed: 7)))]
            try assertFusedMatchesPlain(m, input: .f([2, 40, size, size], randomFloats(80 * size * size, seed: 8)), fusedNodes: 1, plainNodes: 3)
        }
    }

    /// MatMul → Add(bias) → Relu on a 3-D activation: a linear layer as PyTorch exports it.
    func testBiasAddAndReluFoldIntoMatMul() throws {
        var m = TestModel()
        m.nodes = [
            TestNode("MatMul", ["x", "w"], ["p"]),
            TestNode("Add", ["p", "bias"], ["s"]),
            TestNode("Relu", ["s"], ["y"]),
        ]
        m.inputs = [.init(name: "x", type: .float, dims: [2, 3, 4])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("w", .f([4, 5], randomFloats(20, seed: 3))), ("bias", .f([5], [0.3, -0.3, 0.1, 0, -1]))]
        try assertFusedMatchesPlain(m, input: .f([2, 3, 4], randomFloats(24, seed: 4)), fusedNodes: 1, plainNodes: 3)
    }

    /// Attention's scores plus a mask over keys, broadcast over heads and queries, then Relu: the fused Add runs row by
    /// row in parallel after the batched product (rows of 130 floats, more than one task's worth of rows).
    func testBroadcastMaskAddFoldsIntoBatchedMatMul() throws {
        var m = TestModel()
        m.nodes = [
            TestNode("MatMul", ["x", "k"], ["p"]),
            TestNode("Add", ["p", "mask"], ["s"]),
            TestNode("Relu", ["s"], ["y"]),
        ]
        m.inputs = [.init(name: "x", type: .float, dims: [3, 150, 8])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("k", .f([3, 8, 130], randomFloats(3 * 8 * 130, seed: 6))), ("mask", .f([1, 1, 130], randomFloats(130, seed: 7)))]
        try assertFusedMatchesPlain(m, input: .f([3, 150, 8], randomFloats(3 * 150 * 8, seed: 8)), fusedNodes: 1, plainNodes: 3)
    }

    /// An Add whose other operand is computed after the Conv cannot be folded into it.
    func testAddOfALaterValueStaysSeparate() throws {
        var m = TestModel()
        m.nodes = [
            TestNode("Conv", ["x", "w"], ["c"]),
            TestNode("Sigmoid", ["x"], ["later"]),
            TestNode("Add", ["c", "later"], ["y"]),
        ]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 2, 3, 3])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("w", .f([2, 2, 1, 1], [1, 2, 3, 4]))]
        try assertFusedMatchesPlain(m, input: .f([1, 2, 3, 3], randomFloats(18, seed: 5)), fusedNodes: 3, plainNodes: 3)
    }

    private func assertFusedMatchesPlain(_ m: TestModel, input: Tensor, fusedNodes: Int, plainNodes: Int,
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        let onnx = try ONNXModel(data: m.data())
        let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
        let fused = try InferenceSession(model: onnx, options: .init(threads: 2, optimize: true))
        XCTAssertEqual(plain.nodeCount, plainNodes, file: file, line: line)
        XCTAssertEqual(fused.nodeCount, fusedNodes, file: file, line: line)
        let expected = try plain.run(["x": input])["y"]!.floats
        XCTAssertTrue(expected.contains { $0 != 0 }, "the output must carry information", file: file, line: line)
        assertClose(try fused.run(["x": input])["y"]!.floats, expected, tolerance: 1e-5)
    }
}
