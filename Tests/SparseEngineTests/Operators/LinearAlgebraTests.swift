import XCTest
@testable import SparseEngine

final class LinearAlgebraTests: XCTestCase {
    func testGemmTransposesAlphaBetaBias() throws {
        let a = Tensor.f([2, 3], [1, 2, 3, 4, 5, 6])
        let b = Tensor.f([3, 2], [1, 0, 0, 1, 1, 1])
        let y = try runOp("Gemm", inputs: [("a", a)], constants: [("b", b), ("c", .f([2], [10, 20]))])["y"]!
        XCTAssertEqual(y.floats, [14, 25, 20, 31])
        // transA on A stored [3, 2], transB on B stored [2, 3], alpha 2, beta 0.5, C [2, 1].
        let at = Tensor.f([3, 2], [1, 4, 2, 5, 3, 6])
        let bt = Tensor.f([2, 3], [1, 0, 1, 0, 1, 1])
        let y2 = try runOp("Gemm", inputs: [("a", at)], constants: [("b", bt), ("c", .f([2, 1], [2, 4]))],
                           attributes: ["transA": .int(1), "transB": .int(1), "alpha": .float(2), "beta": .float(0.5)])["y"]!
        XCTAssertEqual(y2.floats, [9, 11, 22, 24])
        // No C (opset 11+).
        let y3 = try runOp("Gemm", inputs: [("a", a)], constants: [("b", b)])["y"]!
        XCTAssertEqual(y3.floats, [4, 5, 10, 11])
    }

    func testMatMulShapes() throws {
        // Batched with broadcasting: [2, 1, 2, 2] × [3, 2, 1] → [2, 3, 2, 1].
        let a = Tensor.f([2, 1, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8])
        let b = Tensor.f([3, 2, 1], [1, 1, 1, 0, 0, 1])
        let y = try runOp("MatMul", inputs: [("a", a), ("b", b)])["y"]!
        XCTAssertEqual(y.shape, [2, 3, 2, 1])
        XCTAssertEqual(y.floats, [3, 7, 1, 3, 2, 4, 11, 15, 5, 7, 6, 8])
        // 1-D operands.
        let v = try runOp("MatMul", inputs: [("a", .f([2], [1, 2])), ("b", .f([2, 3], [1, 2, 3, 4, 5, 6]))])["y"]!
        XCTAssertEqual(v.shape, [3])
        XCTAssertEqual(v.floats, [9, 12, 15])
        let dot = try runOp("MatMul", inputs: [("a", .f([3], [1, 2, 3])), ("b", .f([3], [4, 5, 6]))])["y"]!
        XCTAssertEqual(dot.shape, [])
        XCTAssertEqual(dot.floats, [32])
        // 3-D × 2-D (one big GEMM) against a naive loop.
        let x = Tensor.f([2, 5, 7], randomFloats(70, seed: 3)), w = Tensor.f([7, 33], randomFloats(231, seed: 4))
        let out = try runOp("MatMul", inputs: [("x", x)], constants: [("w", w)])["y"]!
        XCTAssertEqual(out.shape, [2, 5, 33])
        var expected = [Float](repeating: 0, count: 330)
        for r in 0..<10 { for j in 0..<33 { for k in 0..<7 { expected[r * 33 + j] += x.floats[r * 7 + k] * w.floats[k * 33 + j] } } }
        assertClose(out.floats, expected)
        XCTAssertThrowsError(try runOp("MatMul", inputs: [("a", .f([2, 3], [Float](repeating: 0, count: 6))), ("b", .f([2, 3], [Float](repeating: 0, count: 6)))])) {
            XCTAssertEqual(($0 as? EngineError)?.code, .shapeMismatch)
        }
    }
}
