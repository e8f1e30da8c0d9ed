import XCTest
@testable import SparseEngine

/// `AddFusion`'s second Add on a MatMul (`zoo.residual`): a linear layer's bias and then a residual connection, added by
/// the sparse kernels' transposed store, or in a pass (dense weights, a residual that broadcasts), before a fused
/// activation. Outputs equal the unoptimized graph's on every kernel set, 1 and 2 threads.
final class MatMulResidualFusionTests: XCTestCase {
    /// y = [Relu](x·W + b + r), r of shape `residualShape` (a graph input), W [k, n] 90 % zeros when `sparse`.
    private func model(tokens: Int, k: Int, n: Int, sparse: Bool, residualShape: [Int], relu: Bool) -> TestModel {
        var m = TestModel()
        m.opset = 20
        m.inputs = [.init(name: "x", type: .float, dims: [tokens, k]), .init(name: "r", type: .float, dims: residualShape)]
        m.nodes = [TestNode("MatMul", ["x", "w"], ["p"]), TestNode("Add", ["p", "b"], ["s"]), TestNode("Add", ["r", "s"], [relu ? "t" : "y"])]
        if relu { m.nodes.append(TestNode("Relu", ["t"], ["y"])) }
        let weights = randomFloats(k * n, seed: 31).enumerated().map { i, w in sparse && (i * 7919) % 10 != 0 ? 0 : w }
        m.initializers = [("w", .f([k, n], weights)), ("b", .f([n], randomFloats(n, seed: 32)))]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        return m
    }

    /// Runs the model optimized (every kernel set, 1 and 2 threads) and unoptimized; returns the nodes the optimized
    /// graph runs.
    private func compare(tokens: Int, k: Int = 80, n: Int = 96, sparse: Bool, residualShape: [Int]? = nil, relu: Bool = false,
                         file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let shape = residualShape ?? [tokens, n]
        let onnx = try ONNXModel(data: model(tokens: tokens, k: k, n: n, sparse: sparse, residualShape: shape, relu: relu).data())
        let feeds = ["x": Tensor.f([tokens, k], randomFloats(tokens * k, seed: 33)),
                     "r": Tensor.f(shape, randomFloats(shape.reduce(1, *), seed: 34).map { $0 * 3 })]
        let expected = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false)).run(feeds)["y"]!.floats
        var nodes = 0
        for kernels in KernelConfig.available {
            for threads in [1, 2] {
                let session = try InferenceSession(model: onnx, options: .init(threads: threads), kernels: kernels)
                assertClose(try session.run(feeds)["y"]!.floats, expected, tolerance: 1e-5, file: file, line: line)
                nodes = session.summary.nodesAfterOptimization
            }
        }
        return nodes
    }

    func testTheSparseStoreAddsTheResidual() throws {
        // 1 and 3 tokens take the few-token path, 20 one partial block, 128 whole blocks, 150 both.
        for tokens in [1, 3, 20, 128, 150] {
            XCTAssertEqual(try compare(tokens: tokens, sparse: true), 1, "\(tokens) tokens")
        }
        XCTAssertEqual(try compare(tokens: 37, sparse: true, relu: true), 1)
    }

    func testDenseWeightsAndBroadcastResidualsAddItInAPass() throws {
        XCTAssertEqual(try compare(tokens: 37, sparse: false), 1)
        XCTAssertEqual(try compare(tokens: 37, sparse: true, residualShape: [1, 96], relu: true), 1)
        XCTAssertEqual(try compare(tokens: 37, sparse: false, residualShape: [96]), 1)
    }
}
