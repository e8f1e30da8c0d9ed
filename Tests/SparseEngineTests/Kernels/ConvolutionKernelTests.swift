import XCTest
@testable import SparseEngine

/// The convolution microkernels (indirect GEMM over pixels and over channels, the epilogue) against naive
/// computations, every ISA variant this machine has.
final class ConvolutionKernelTests: XCTestCase {
    /// Rows of B at scattered, overlapping byte offsets into one buffer, as a convolution's taps are.
    func testIgemmMatchesNaiveProduct() {
        let source = randomFloats(4096, seed: 21)
        for config in KernelConfig.available {
            let (name, kernel) = (config.igemmName, config.igemm)
            for kc in [1, 7, 130] {
                let a = randomFloats(kc * 8, seed: UInt64(kc))
                let offsets = (0..<kc).map { Int32(($0 * 37 % 2000) * 4) }
                for accumulate in [false, true] {
                    let ldc = 40
                    var c = randomFloats(8 * ldc, seed: 5)
                    var expected = c
                    for i in 0..<8 { for j in 0..<32 {
                        var sum: Float = accumulate ? c[i * ldc + j] : 0
                        for p in 0..<kc { sum += a[p * 8 + i] * source[Int(offsets[p]) / 4 + j] }
                        expected[i * ldc + j] = sum
                    } }
                    source.withUnsafeBytes { base in
                        c.withUnsafeMutableBufferPointer { kernel(kc, a, base.baseAddress!, offsets, $0.baseAddress!, ldc, accumulate) }
                    }
                    for i in 0..<8 { assertClose(Array(c[(i * ldc)..<(i * ldc + 32)]), Array(expected[(i * ldc)..<(i * ldc + 32)]), tolerance: 1e-5) }
                    XCTAssertEqual(c[32..<40], expected[32..<40], "\(name) wrote past its tile")
                }
            }
        }
    }

    /// Eight (and, on the 7-pixel kernel, seven) pixels, each through its own base, times 32 output channels' packed
    /// weights; with and without a prefetch of other weights (which must not change the sums). The row after the
    /// tile must keep what it held.
    func testIgemmcMatchesNaiveProduct() {
        let source = randomFloats(4096, seed: 22)
        let otherWeights = randomFloats(300 * 16, seed: 23)
        for config in KernelConfig.available {
            for (rows, name, kernel) in [(8, config.igemmcName, config.igemmc), (7, config.igemmc7Name, config.igemmc7)] {
                for kc in [1, 9, 300] {
                    let b = randomFloats(kc * 32, seed: UInt64(kc + 1))
                    let offsets = (0..<kc).map { Int32(($0 * 11 % 3000) * 4) }
                    let pixelIndices = [0, 1, 2, 5, 6, 7, 40, 41]
                    for (accumulate, prefetches) in [(false, false), (true, false), (false, true), (true, true)] {
                        let ldc = 33
                        var c = randomFloats(8 * ldc + 32, seed: 6)
                        var expected = c
                        for i in 0..<rows { for j in 0..<32 {
                            var sum: Float = accumulate ? c[i * ldc + j] : 0
                            for p in 0..<kc { sum += source[pixelIndices[i] + Int(offsets[p]) / 4] * b[p * 32 + j] }
                            expected[i * ldc + j] = sum
                        } }
                        source.withUnsafeBytes { base in
                            let pixels = pixelIndices.map { base.baseAddress! + $0 * 4 }
                            otherWeights.withUnsafeBytes { other in
                                c.withUnsafeMutableBufferPointer {
                                    kernel(kc, pixels, offsets, b, $0.baseAddress!, ldc, accumulate, prefetches ? other.baseAddress! : nil)
                                }
                            }
                        }
                        for i in 0..<rows {
                            assertClose(Array(c[(i * ldc)..<(i * ldc + 32)]), Array(expected[(i * ldc)..<(i * ldc + 32)]), tolerance: 1e-5)
                            XCTAssertEqual(c[i * ldc + 32], expected[i * ldc + 32], "\(name) wrote past its tile")
                        }
                        XCTAssertEqual(Array(c[(rows * ldc)...]), Array(expected[(rows * ldc)...]), "\(name) wrote past its rows")
                    }
                }
            }
        }
    }

    /// Tiles of 8 pixels × channels stored channel by channel with bias, residual and bounds, for channel counts
    /// that fill one or two vectors, partly or wholly.
    func testTransposingEpilogueMatchesNaiveComputation() {
        for config in KernelConfig.available {
            let (name, kernel) = (config.transposingEpilogueName, config.transposingEpilogue)
            for columns in [1, 9, 16, 27, 32] {
                let ldt = 32, ldy = 11
                let tile = randomFloats(8 * ldt, seed: 41), bias = randomFloats(32, seed: 42), residual = randomFloats(32 * ldy, seed: 43)
                for (useBias, useResidual, lo, hi) in [(true, true, Float(0), Float.infinity), (false, false, -Float.infinity, Float.infinity),
                                                       (true, false, Float(-0.2), Float(0.3))] {
                    var y = [Float](repeating: .nan, count: 32 * ldy)
                    var expected = y
                    for j in 0..<columns { for i in 0..<8 {
                        let v = tile[i * ldt + j] + (useBias ? bias[j] : 0) + (useResidual ? residual[j * ldy + i] : 0)
                        expected[j * ldy + i] = min(max(v, lo), hi)
                    } }
                    bias.withUnsafeBufferPointer { b in
                        residual.withUnsafeBufferPointer { res in
                            y.withUnsafeMutableBufferPointer {
                                kernel(columns, tile, ldt, useBias ? b.baseAddress! : nil, useResidual ? res.baseAddress! : nil,
                                       $0.baseAddress!, ldy, lo, hi)
                            }
                        }
                    }
                    XCTAssertEqual(y.map { $0.isNaN ? -99 : $0 }, expected.map { $0.isNaN ? -99 : $0 }, "\(name) columns \(columns)")
                }
            }
        }
    }

    /// Every stride-th float, for any count, from a buffer that ends at the last one read.
    func testStridedGatherMatchesNaiveCopy() {
        for stride in 1...3 {
            for count in [1, 5, 9, 13, 14, 16, 17, 28, 29, 33, 50] {
                let x = randomFloats((count - 1) * stride + 1, seed: UInt64(count * stride))
                var y = [Float](repeating: .nan, count: count + 1)
                y.withUnsafeMutableBufferPointer { f32StridedGather(x, stride: stride, count: count, into: $0.baseAddress!) }
                XCTAssertEqual(Array(y.prefix(count)), (0..<count).map { x[$0 * stride] }, "stride \(stride) count \(count)")
                XCTAssertTrue(y[count].isNaN, "wrote past the end")
            }
        }
    }

    /// Bias, residual and bounds over rows of any length (vector bodies and scalar tails).
    func testEpilogueMatchesNaiveComputation() {
        for config in KernelConfig.available {
            let (name, kernel) = (config.epilogueName, config.epilogue)
            for count in [1, 16, 21, 40] {
                let rows = 3, ldx = 48, ldy = 45
                let x = randomFloats(rows * ldx, seed: 7), bias = randomFloats(rows, seed: 8), residual = randomFloats(rows * ldy, seed: 9)
                for (useBias, useResidual, lo, hi) in [(true, true, Float(0), Float.infinity), (false, false, -Float.infinity, Float.infinity),
                                                       (true, false, Float(-0.2), Float(0.3)), (false, true, Float(0), Float(6))] {
                    var y = [Float](repeating: .nan, count: rows * ldy)
                    var expected = y
                    for r in 0..<rows { for j in 0..<count {
                        let v = x[r * ldx + j] + (useBias ? bias[r] : 0) + (useResidual ? residual[r * ldy + j] : 0)
                        expected[r * ldy + j] = min(max(v, lo), hi)
                    } }
                    bias.withUnsafeBufferPointer { b in
                        residual.withUnsafeBufferPointer { res in
                            y.withUnsafeMutableBufferPointer {
                                kernel(rows, count, x, ldx, useBias ? b.baseAddress! : nil, useResidual ? res.baseAddress! : nil,
                                       $0.baseAddress!, ldy, lo, hi)
                            }
                        }
                    }
                    XCTAssertEqual(y.map { $0.isNaN ? -99 : $0 }, expected.map { $0.isNaN ? -99 : $0 }, "\(name) count \(count)")
                }
            }
        }
    }
}
