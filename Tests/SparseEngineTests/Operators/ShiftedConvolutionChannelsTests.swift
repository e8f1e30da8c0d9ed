import XCTest
@testable import SparseEngine

/// `ShiftedConvolutionGemm.runOverChannels` with 7-pixel slivers (`KernelConfig.igemmcSlivers`: one image of 7×7 outputs) on
/// every instruction set, on one and two threads, against the reference convolution.
final class ShiftedConvolutionChannelsTests: XCTestCase {
    /// 7-pixel slivers only where they pad at least 10 % less than 8-pixel ones, on every instruction set.
    func testSliverPixels() {
        for config in KernelConfig.available {
            XCTAssertEqual([49, 196, 98, 64, 16].map { config.igemmcSlivers(pixels: $0).mr }, [7, 8, 8, 8, 8], config.isa)
        }
    }

    /// A 3×3 pad-1 convolution of one 7×7 image (216 reduction rows: two K blocks) into 70 channels (a partial panel),
    /// with bias and a residual, and a 1×1 one into 64: every output within 1e-4 of the reference.
    func testSevenPixelSliversMatchTheReference() {
        for (index, t) in [(c: 24, m: 70, k: 3, pad: 1), (c: 40, m: 64, k: 1, pad: 0)].enumerated() {
            let x = Tensor.f([1, t.c, 7, 7], randomFloats(t.c * 49, seed: UInt64(30 + index)))
            let w = Tensor.f([t.m, t.c, t.k, t.k], randomFloats(t.m * t.c * t.k * t.k, seed: UInt64(40 + index)))
            let bias = randomFloats(t.m, seed: UInt64(50 + index)), residual = randomFloats(t.m * 49, seed: UInt64(60 + index))
            let sums = referenceConv(x: x, w: w, b: bias, pads: [t.pad, t.pad, t.pad, t.pad])
            let expected = zip(sums, residual).map { $0 + $1 }
            let g = ConvGeometry(spatial: [7, 7], kernel: [t.k, t.k], strides: [1, 1], dilations: [1, 1],
                                 pads: [t.pad, t.pad, t.pad, t.pad], out: [7, 7])
            let (phaseH, phaseW) = phaseSize(g), phaseCount = usedPhases(g).count
            let offsets = ShiftedConvolutionSpMMOperands.rowOffsets(channels: t.c, phaseH: phaseH, phaseW: phaseW, g)!
            for config in KernelConfig.available {
                for threads in [1, 2] {
                    let context = KernelContext(pool: ThreadPool(threads: threads), kernels: config)
                    var y = [Float](repeating: .nan, count: t.m * 49)
                    x.floats.withUnsafeBufferPointer { xp in
                        w.floats.withUnsafeBufferPointer { wp in
                            bias.withUnsafeBufferPointer { bp in
                                residual.withUnsafeBufferPointer { rp in
                                    y.withUnsafeMutableBufferPointer { yp in
                                        let source = stridePhases(xp.baseAddress!, batch: 1, channels: t.c, g, phaseCount: phaseCount, context: context)
                                        let gemm = ShiftedConvolutionGemm(source: source, phaseH: phaseH, phaseW: phaseW, geometry: g, batch: 1,
                                                                          channels: t.c, rowOffsets: offsets, phaseCount: phaseCount)
                                        let epilogue = ConvEpilogue(bias: bp.baseAddress!, residual: rp.baseAddress!, activation: .none, silu: false,
                                                                    kernels: config)
                                        gemm.run(weights: wp.baseAddress!, outChannels: t.m, groups: 1, epilogue: epilogue, y: yp.baseAddress!,
                                                 context: context)
                                    }
                                }
                            }
                        }
                    }
                    assertClose(y, expected, tolerance: 1e-4)
                    XCTAssertFalse(y.contains { $0.isNaN }, "case \(index), \(config.isa), \(threads) threads: an output left unwritten")
                }
            }
        }
    }
}
