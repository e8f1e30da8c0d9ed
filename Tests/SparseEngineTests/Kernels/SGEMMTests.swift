import XCTest
@testable import SparseEngine

final class SGEMMTests: XCTestCase {
    func testEveryKernelMatchesNaiveProduct() throws {
        let pool = ThreadPool(threads: 2)
        for config in KernelConfig.available {
            let context = KernelContext(pool: pool, kernels: config)
            for (m, n, k) in [(1, 1, 1), (8, 32, 5), (13, 70, 300), (67, 33, 17), (3, 257, 9), (21, 300, 40)] {
                for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                    for (alpha, beta) in [(Float(2), Float(0.5)), (1, 0), (1, 1)] {
                        let a = randomFloats(m * k, seed: UInt64(m * 31 + k)), b = randomFloats(k * n, seed: UInt64(n * 17 + k))
                        var c = randomFloats(m * n, seed: 9)
                        var expected = c.map { $0 * beta }
                        for i in 0..<m { for j in 0..<n {
                            var acc: Float = 0
                            for p in 0..<k { acc += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]) }
                            expected[i * n + j] += alpha * acc
                        } }
                        c.withUnsafeMutableBufferPointer { cp in
                            sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: ta ? m : k, b: b, ldb: tb ? k : n,
                                  beta: beta, c: cp.baseAddress!, ldc: n, context: context)
                        }
                        assertClose(c, expected, tolerance: 1e-4)
                    }
                }
            }
        }
    }

    /// Each GEMM microkernel on one tile (B in place with a wider stride), with and without a prefetch of other
    /// weights, which must not change the sums.
    func testMicrokernelsMatchNaiveTile() {
        let other = randomFloats(200 * 16, seed: 12)
        for config in KernelConfig.available {
            let mr = config.gemmMR, nr = config.gemmNR, ldb = nr + 3, ldc = nr + 1
            for kc in [1, 200] {
                let a = randomFloats(kc * mr, seed: UInt64(kc)), b = randomFloats(kc * ldb, seed: UInt64(kc + 1))
                for (accumulate, prefetches) in [(false, false), (true, false), (false, true), (true, true)] {
                    var c = randomFloats(mr * ldc, seed: 13)
                    var expected = c
                    for i in 0..<mr { for j in 0..<nr {
                        var sum: Float = accumulate ? c[i * ldc + j] : 0
                        for p in 0..<kc { sum += a[p * mr + i] * b[p * ldb + j] }
                        expected[i * ldc + j] = sum
                    } }
                    other.withUnsafeBytes { other in
                        c.withUnsafeMutableBufferPointer {
                            config.gemm(kc, a, b, ldb, $0.baseAddress!, ldc, accumulate, prefetches ? other.baseAddress! : nil)
                        }
                    }
                    assertClose(c, expected, tolerance: 1e-4)
                }
            }
        }
    }

    /// Batches of small products, one per task, against naive products: edge slivers and panels, several K
    /// blocks, operands shared between products (broadcast batch axes).
    func testBatchedProductsMatchNaiveProducts() {
        let pool = ThreadPool(threads: 2)
        for config in KernelConfig.available {
            let context = KernelContext(pool: pool, kernels: config)
            for (m, n, k) in [(128, 64, 128), (128, 128, 64), (13, 70, 300), (5, 33, 17)] {
                let a = randomFloats(3 * m * k, seed: UInt64(m + k)), b = randomFloats(2 * k * n, seed: UInt64(n + k))
                let pairs = [(0, 0), (1, 1), (2, 0), (1, 0)]
                var c = [Float](repeating: .nan, count: pairs.count * m * n)
                var expected = c
                for (index, (ia, ib)) in pairs.enumerated() { for i in 0..<m { for j in 0..<n {
                    var acc: Float = 0
                    for p in 0..<k { acc += a[(ia * m + i) * k + p] * b[(ib * k + p) * n + j] }
                    expected[(index * m + i) * n + j] = acc
                } } }
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        let operands = pairs.map { (ap.baseAddress! + $0.0 * m * k, bp.baseAddress! + $0.1 * k * n) }
                        c.withUnsafeMutableBufferPointer { sgemmBatched(operands, m: m, n: n, k: k, c: $0.baseAddress!, context: context) }
                    }
                }
                assertClose(c, expected, tolerance: 1e-4)
            }
        }
    }
}
