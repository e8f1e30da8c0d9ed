import XCTest
@testable import SparseEngine

/// The three ways `sgemm` computes and the constant-operand cache.
final class SGEMMPathTests: XCTestCase {
    private func naive(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: [Float], b: [Float], beta: Float, c: [Float]) -> [Float] {
        var out = c.map { beta == 0 ? 0 : $0 * beta }
        for i in 0..<m { for j in 0..<n {
            var acc: Float = 0
            for p in 0..<k { acc += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]) }
            out[i * n + j] += alpha * acc
        } }
        return out
    }

    private func check(m: Int, n: Int, k: Int, threads: Int, file: StaticString = #filePath, line: UInt = #line) {
        let context = KernelContext(pool: ThreadPool(threads: threads))
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            for (alpha, beta) in [(Float(1), Float(0)), (Float(0.5), Float(1)), (Float(2), Float(-0.5))] {
                let a = randomFloats(m * k, seed: UInt64(m + 7 * k)), b = randomFloats(k * n, seed: UInt64(n + 3 * k))
                var c = beta == 0 ? [Float](repeating: .nan, count: m * n) : randomFloats(m * n, seed: 5)
                let expected = naive(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c)
                c.withUnsafeMutableBufferPointer { cp in
                    sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: ta ? m : k, b: b, ldb: tb ? k : n,
                          beta: beta, c: cp.baseAddress!, ldc: n, context: context)
                }
                assertClose(c, expected, tolerance: 1e-4, file: file, line: line)
            }
        }
    }

    func testPlanChoices() {
        XCTAssertTrue(GemmPlan.prefersColumnSlivers(m: 512, n: 49, mr: 8, nr: 32))
        XCTAssertTrue(GemmPlan.prefersColumnSlivers(m: 256, n: 196, mr: 8, nr: 32))
        XCTAssertFalse(GemmPlan.prefersColumnSlivers(m: 64, n: 3136, mr: 8, nr: 32))
        XCTAssertFalse(GemmPlan.prefersColumnSlivers(m: 128, n: 128, mr: 8, nr: 32))
        XCTAssertEqual(GemmPlan.inPlaceBlock(ldb: 784), 256)
        XCTAssertEqual(GemmPlan.inPlaceBlock(ldb: 49), 256)
        XCTAssertEqual(GemmPlan.inPlaceBlock(ldb: 3136), 128)
        XCTAssertNil(GemmPlan.inPlaceBlock(ldb: 12544))
        XCTAssertNil(GemmPlan.inPlaceBlock(ldb: 1024))
    }

    func testColumnSliversMatchNaiveProduct() {
        XCTAssertTrue(GemmPlan.prefersColumnSlivers(m: 64, n: 49, mr: 8, nr: 32))
        check(m: 64, n: 49, k: 300, threads: 2)
        XCTAssertTrue(GemmPlan.prefersColumnSlivers(m: 45, n: 13, mr: 8, nr: 32))
        check(m: 45, n: 13, k: 5, threads: 1)
    }

    func testRowSliversInPlaceAndPackedMatchNaiveProduct() {
        XCTAssertEqual(GemmPlan.inPlaceBlock(ldb: 96), 256)
        check(m: 21, n: 96, k: 600, threads: 2)
        XCTAssertEqual(GemmPlan.inPlaceBlock(ldb: 192), 128)
        check(m: 24, n: 192, k: 300, threads: 2)
        XCTAssertNil(GemmPlan.inPlaceBlock(ldb: 256))
        check(m: 16, n: 256, k: 40, threads: 3)
        check(m: 9, n: 300, k: 257, threads: 1)
    }

    func testSmallRowsMatchNaiveProduct() {
        check(m: 1, n: 1000, k: 70, threads: 2)
        check(m: 3, n: 33, k: 17, threads: 1)
    }

    func testConstantOperandIsPackedOnce() {
        let context = KernelContext(pool: ThreadPool(threads: 2))
        let (m, n, k) = (16, 64, 40)
        var weights = randomFloats(m * k, seed: 1)
        let original = weights.map { $0 }  // its own storage, so changing `weights` copies nothing
        let b1 = randomFloats(k * n, seed: 2), b2 = randomFloats(k * n, seed: 3)
        let zeros = [Float](repeating: 0, count: m * n)
        func multiply(_ b: [Float]) -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            weights.withUnsafeBufferPointer { a in
                c.withUnsafeMutableBufferPointer { cp in
                    sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a.baseAddress!, lda: k, b: b, ldb: n,
                          beta: 0, c: cp.baseAddress!, ldc: n, context: context)
                }
            }
            return c
        }
        // Unregistered: every call packs the current values.
        assertClose(multiply(b1), naive(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: original, b: b1, beta: 0, c: zeros))
        weights.withUnsafeBytes { context.gemmWorkspace.registerConstant($0.baseAddress!, byteCount: $0.count) }
        XCTAssertTrue(weights.withUnsafeBytes { context.gemmWorkspace.isConstant($0.baseAddress! + 8, byteCount: 16) })
        assertClose(multiply(b1), naive(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: original, b: b1, beta: 0, c: zeros))
        // Registered: the packing made on first use is reused, so a (forbidden) change is not seen.
        weights.withUnsafeMutableBufferPointer { $0[0] += 100 }
        assertClose(multiply(b2), naive(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: original, b: b2, beta: 0, c: zeros))
    }

    /// A constant right operand that is not read in place (a linear layer's weights) is packed once, for either
    /// layout of B (transposed: with an edge panel), over several K blocks.
    func testConstantRightOperandIsPackedOnce() {
        let context = KernelContext(pool: ThreadPool(threads: 2))
        for (transB, m, n, k) in [(false, 40, 256, 600), (true, 40, 80, 600)] {
            XCTAssertFalse(GemmPlan.prefersColumnSlivers(m: m, n: n, mr: 8, nr: 32))
            let a = randomFloats(m * k, seed: 4), ldb = transB ? k : n
            if !transB { XCTAssertNil(GemmPlan.inPlaceBlock(ldb: ldb)) }
            var weights = randomFloats(k * n, seed: transB ? 5 : 6)
            let original = weights.map { $0 }
            let zeros = [Float](repeating: 0, count: m * n)
            func multiply() -> [Float] {
                var c = [Float](repeating: .nan, count: m * n)
                weights.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { cp in
                        sgemm(transA: false, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b.baseAddress!, ldb: ldb,
                              beta: 0, c: cp.baseAddress!, ldc: n, context: context)
                    }
                }
                return c
            }
            weights.withUnsafeBytes { context.gemmWorkspace.registerConstant($0.baseAddress!, byteCount: $0.count) }
            let expected = naive(transA: false, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, b: original, beta: 0, c: zeros)
            assertClose(multiply(), expected)
            // The packing made on first use is reused, so a (forbidden) change is not seen.
            weights.withUnsafeMutableBufferPointer { $0[0] += 100 }
            assertClose(multiply(), expected)
        }
    }
}
