import XCTest
@testable import SparseEngine

/// The elementwise, max-pooling and depthwise-convolution kernels against direct computations.
final class SlidingWindowKernelTests: XCTestCase {
    func testElementwiseKernelWithLeadingBroadcasts() {
        let pool = ThreadPool(threads: 2)
        let count = 70_000
        let full = randomFloats(count, seed: 4), other = randomFloats(count, seed: 6).map { $0 + 3 }
        let ops: [(F32BinaryOp, (Float, Float) -> Float)] = [(.add, { $0 + $1 }), (.sub, { $0 - $1 }), (.mul, { $0 * $1 }), (.div, { $0 / $1 })]
        // (aCount, bCount): same shape, a bias row on either side, a scalar on either side, both scalars.
        for (aCount, bCount) in [(count, count), (count, 700), (35, count), (count, 1), (1, count), (700, 1), (1, 1)] {
            let total = aCount == 1 && bCount == 1 ? 1 : count
            let a = Array(full.prefix(aCount)), b = Array(other.prefix(bCount))
            for (op, f) in ops {
                var out = [Float](repeating: .nan, count: total)
                out.withUnsafeMutableBufferPointer { f32Binary(op, a, aCount: aCount, b, bCount: bCount, $0.baseAddress!, count: total, pool: pool) }
                XCTAssertEqual(out, (0..<total).map { f(a[$0 % aCount], b[$0 % bCount]) }, "\(op) \(aCount) \(bCount)")
            }
        }
        XCTAssertEqual(leadingBroadcastCount([768], into: [1, 128, 768]), 768)
        XCTAssertEqual(leadingBroadcastCount([1, 1, 768], into: [1, 128, 768]), 768)
        XCTAssertEqual(leadingBroadcastCount([], into: [4, 5]), 1)
        XCTAssertNil(leadingBroadcastCount([128, 1], into: [128, 768]))
    }

    func testMaxPoolKernelMatchesDirectWindowMaximum() {
        let pool = ThreadPool(threads: 2)
        let scratch = KernelContext(pool: pool)
        // (in, kernel, stride, pad, ceil mode): odd sizes, rows longer than a vector, windows past the end.
        var windows = [SlidingWindow2D(inH: 5, inW: 4, outH: 4, outW: 3, kH: 2, kW: 2, strideH: 1, strideW: 1, padTop: 0, padLeft: 0)]
        for (size, k, s, pad, ceil) in [(11, 3, 2, 1, false), (37, 3, 2, 1, false), (36, 3, 2, 1, true), (112, 3, 2, 1, false),
                                         (33, 3, 1, 1, false), (19, 5, 1, 2, false), (20, 2, 2, 0, false), (17, 2, 2, 0, true),
                                         (29, 3, 3, 1, true), (40, 13, 1, 6, false), (9, 4, 2, 3, true)] {
            let span = size + 2 * pad - k
            let out = (ceil ? (span + s - 1) / s : span / s) + 1
            windows.append(SlidingWindow2D(inH: size, inW: size + 2, outH: out, outW: (size + 2 + 2 * pad - k) / s + 1, kH: k, kW: k,
                                           strideH: s, strideW: s, padTop: pad, padLeft: pad))
        }
        for w in windows {
            let planes = 3
            let x = randomFloats(planes * w.inH * w.inW, seed: 8)
            var y = [Float](repeating: 0, count: planes * w.outH * w.outW)
            y.withUnsafeMutableBufferPointer { f32MaxPool2D(x, $0.baseAddress!, planes: planes, w, scratch: scratch.scratchFloats, pool: pool) }
            var expected: [Float] = []
            for p in 0..<planes { for oy in 0..<w.outH { for ox in 0..<w.outW {
                var best = -Float.infinity
                for ky in 0..<w.kH { for kx in 0..<w.kW {
                    let iy = oy * w.strideH - w.padTop + ky, ix = ox * w.strideW - w.padLeft + kx
                    if iy >= 0 && iy < w.inH && ix >= 0 && ix < w.inW { best = max(best, x[(p * w.inH + iy) * w.inW + ix]) }
                } }
                expected.append(best)
            } } }
            XCTAssertEqual(y, expected, "\(w)")
        }
    }

    func testDepthwiseKernelMatchesDirectConvolution() {
        let pool = ThreadPool(threads: 2)
        let context = KernelContext(pool: pool)
        let windows = [
            SlidingWindow2D(inH: 9, inW: 20, outH: 9, outW: 20, kH: 3, kW: 3, strideH: 1, strideW: 1, padTop: 1, padLeft: 1),
            SlidingWindow2D(inH: 12, inW: 37, outH: 6, outW: 19, kH: 3, kW: 3, strideH: 2, strideW: 2, padTop: 1, padLeft: 1),
            SlidingWindow2D(inH: 7, inW: 8, outH: 3, outW: 4, kH: 5, kW: 2, strideH: 1, strideW: 3, padTop: 0, padLeft: 2),
        ]
        for w in windows {
            let channels = 3, planes = 6
            let x = randomFloats(planes * w.inH * w.inW, seed: 11), weights = randomFloats(channels * w.kH * w.kW, seed: 12)
            let bias = randomFloats(channels, seed: 13)
            var y = [Float](repeating: .nan, count: planes * w.outH * w.outW)
            y.withUnsafeMutableBufferPointer { out in
                f32DepthwiseConv2D(x, weights, bias, out.baseAddress!, planes: planes, channels: channels, w,
                                   epilogue: { p, n in for i in 0..<n { p[i] = max(p[i], 0) } }, scratch: context.scratchFloats, pool: pool)
            }
            var expected: [Float] = []
            for p in 0..<planes { for oy in 0..<w.outH { for ox in 0..<w.outW {
                var acc = bias[p % channels]
                for ky in 0..<w.kH { for kx in 0..<w.kW {
                    let iy = oy * w.strideH - w.padTop + ky, ix = ox * w.strideW - w.padLeft + kx
                    if iy >= 0 && iy < w.inH && ix >= 0 && ix < w.inW {
                        acc += x[(p * w.inH + iy) * w.inW + ix] * weights[(p % channels) * w.kH * w.kW + ky * w.kW + kx]
                    }
                } }
                expected.append(max(acc, 0))
            } } }
            assertClose(y, expected, tolerance: 1e-5)
        }
    }
}
