import XCTest
@testable import SparseEngine

/// `GeluEpilogueFusion` and the MatMul epilogue: MatMul → Add → Gelu becomes one node whose outputs equal the
/// unoptimized graph's, on every way the product runs (tiles of the row-sliver GEMM, the column-sliver and few-row
/// forms, a residual Add, the sparse kernel).
final class GeluEpilogueFusionTests: XCTestCase {
    /// x [tokens, k] · W [k, n] + addend, then Gelu (opset 20's operator).
    private func model(tokens: Int, k: Int, n: Int, residual: Bool = false, sparsity: Double = 0,
                       approximate: String? = nil) -> TestModel {
        var m = TestModel()
        m.opset = 20
        var gelu = TestNode("Gelu", ["s"], ["y"])
        if let approximate { gelu.attributes["approximate"] = .string(approximate) }
        m.nodes = [TestNode("MatMul", ["x", "w"], ["p"]), TestNode("Add", ["p", "addend"], ["s"]), gelu]
        m.inputs = [.init(name: "x", type: .float, dims: [tokens, k])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        let weights = randomFloats(k * n, seed: 11).enumerated().map { i, w in
            Double((i * 7919) % 1000) / 1000 < sparsity ? 0 : w
        }
        m.initializers = [("w", .f([k, n], weights)),
                          ("addend", residual ? .f([tokens, n], randomFloats(tokens * n, seed: 12)) : .f([n], randomFloats(n, seed: 13)))]
        return m
    }

    /// Runs `m` optimized on `threads` threads and unoptimized; returns the optimized node and sparse layer counts.
    private func compare(_ m: TestModel, tokens: Int, k: Int, threads: Int = 2, file: StaticString = #filePath,
                         line: UInt = #line) throws -> (nodes: Int, sparse: Int) {
        let onnx = try ONNXModel(data: m.data())
        let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
        let fused = try InferenceSession(model: onnx, options: .init(threads: threads))
        let x = Tensor.f([tokens, k], randomFloats(tokens * k, seed: 5).map { $0 * 2 })
        assertClose(try fused.run(["x": x])["y"]!.floats, try plain.run(["x": x])["y"]!.floats, tolerance: 1e-5, file: file, line: line)
        return (fused.nodeCount, fused.summary.sparseLayers)
    }

    func testBiasAndGeluFinishEveryFormOfTheProduct() throws {
        // Row slivers with edge tiles (37 rows, 300 columns), the column-sliver form (45 columns), few rows (2).
        for (tokens, k, n) in [(37, 70, 300), (64, 96, 45), (2, 70, 300), (129, 768, 64)] {
            for threads in [1, 2] {
                XCTAssertEqual(try compare(model(tokens: tokens, k: k, n: n), tokens: tokens, k: k, threads: threads).nodes, 1,
                               "\(tokens)×\(k)×\(n)")
            }
        }
    }

    func testResidualAddAndSparseWeightsFinishAfterTheProduct() throws {
        XCTAssertEqual(try compare(model(tokens: 37, k: 70, n: 300, residual: true), tokens: 37, k: 70).nodes, 1)
        let sparse = try compare(model(tokens: 40, k: 256, n: 300, sparsity: 0.9), tokens: 40, k: 256)
        XCTAssertEqual(sparse.nodes, 1)
        XCTAssertEqual(sparse.sparse, 1, "the weight runs on the sparse kernel")
    }

    func testTanhApproximationStaysApart() throws {
        XCTAssertEqual(try compare(model(tokens: 37, k: 70, n: 300, approximate: "tanh"), tokens: 37, k: 70).nodes, 2)
    }
}
