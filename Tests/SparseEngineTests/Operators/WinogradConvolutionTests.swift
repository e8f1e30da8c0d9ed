import XCTest
@testable import SparseEngine

/// `WinogradConvolution` against the direct reference convolution, on every instruction set this CPU has.
final class WinogradConvolutionTests: XCTestCase {
    /// What the epilogue does after the sums: the fused operations a convolution can carry.
    private enum Finish: CaseIterable {
        case none, bias, biasRelu, residualRelu, clip, silu
    }

    /// Awkward shapes (odd sizes, images smaller than a tile, pads 0 and 1, channel counts that fill no vector,
    /// sliver or panel, several images, more channels than one K block, more tiles than one block, one block of
    /// several channel panels, a block of 49 tiles: 7-tile slivers over channels) with each epilogue, in both forms, on one and two threads: every output within 2e-5
    /// of the reference, relative to the largest sum.
    func testMatchesTheReferenceConvolutionOnEveryInstructionSet() throws {
        let cases: [(n: Int, c: Int, k: Int, h: Int, w: Int, pad: Int)] = [
            (1, 16, 16, 8, 8, 1),
            (2, 17, 20, 13, 11, 1),
            (1, 5, 3, 3, 2, 1),
            (3, 24, 40, 9, 7, 0),
            (1, 300, 20, 6, 6, 1),
            (2, 33, 70, 30, 26, 1),
            (1, 40, 72, 12, 12, 1),
            (1, 20, 40, 28, 28, 1),
        ]
        for (index, t) in cases.enumerated() {
            let x = Tensor.f([t.n, t.c, t.h, t.w], randomFloats(t.n * t.c * t.h * t.w, seed: UInt64(600 + index)))
            let w = Tensor.f([t.k, t.c, 3, 3], randomFloats(t.k * t.c * 9, seed: UInt64(700 + index)))
            let bias = randomFloats(t.k, seed: UInt64(800 + index))
            let sums = referenceConv(x: x, w: w, b: nil, pads: [t.pad, t.pad, t.pad, t.pad])
            let residual = randomFloats(sums.count, seed: UInt64(900 + index))
            // F(4×4, 3×3) in f32 is off by a few 1e-6 of the sums' magnitude (Lavin & Gray 2016; here at most 6e-6).
            let scale = sums.reduce(Float(1)) { max($0, abs($1)) } + 2
            for (offset, config) in KernelConfig.available.enumerated() {
                let finish = Finish.allCases[(index + offset) % Finish.allCases.count]
                let expected = finished(sums, finish, bias: bias, residual: residual, plane: sums.count / (t.n * t.k), channels: t.k)
                for form in [WinogradConvolution.Form.overTiles, .overChannels] {
                    for threads in [1, 2] {
                        let context = KernelContext(pool: ThreadPool(threads: threads), kernels: config)
                        let y = run(x, w, pad: t.pad, finish, form: form, bias: bias, residual: residual, context: context,
                                    outputCount: sums.count)
                        let worst = zip(y, expected).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
                        XCTAssertLessThanOrEqual(worst, 2e-5 * scale, "case \(index), \(config.isa), \(finish), \(form), \(threads) threads")
                    }
                }
            }
        }
    }

    /// Only 3×3, stride-1, dilation-1, ungrouped convolutions with 16 channels in and out take this path, in the form
    /// the cost model picks: ResNet-50's 56×56 layers over tiles, its 28×28 and 14×14 ones over channels, its 7×7
    /// ones direct at batch 1 (their transformed weights take longer to read than the direct convolution computes);
    /// at batch 16 its 28×28 layers over tiles and 7×7 ones over channels.
    func testFormFollowsTheCostModel() {
        func form(kernel: [Int] = [3, 3], strides: [Int] = [1, 1], dilations: [Int] = [1, 1], group: Int = 1, channels: Int = 64,
                  output: [Int] = [1, 64, 56, 56]) -> WinogradConvolution.Form? {
            WinogradConvolution.form(kernel: kernel, strides: strides, dilations: dilations, group: group, channels: channels, output: output)
        }
        XCTAssertEqual(form(), .overTiles)
        XCTAssertEqual(form(channels: 128, output: [1, 128, 28, 28]), .overChannels)
        XCTAssertEqual(form(channels: 256, output: [1, 256, 14, 14]), .overChannels)
        XCTAssertNil(form(channels: 512, output: [1, 512, 7, 7]))
        XCTAssertEqual(form(channels: 128, output: [16, 128, 28, 28]), .overTiles)
        XCTAssertEqual(form(channels: 512, output: [16, 512, 7, 7]), .overChannels)
        XCTAssertEqual(form(output: [2, 16, 16, 16]), .overTiles)
        XCTAssertNil(form(kernel: [1, 1]))
        XCTAssertNil(form(kernel: [3, 1]))
        XCTAssertNil(form(strides: [2, 2]))
        XCTAssertNil(form(dilations: [2, 2]))
        XCTAssertNil(form(group: 2))
        XCTAssertNil(form(channels: 8))
        XCTAssertNil(form(output: [1, 8, 56, 56]))
        XCTAssertNil(form(output: [1, 64, 20]))
    }

    /// A Conv node the path takes runs through it in the form the cost model picks (within 1e-5 of the largest
    /// output from the reference, bias and Relu fused) and the profile names its kernels.
    func testConvNodeRunsThroughItAndTheProfileNamesIt() throws {
        let config = KernelConfig.current
        let cases: [(c: Int, k: Int, h: Int, w: Int, gemm: String)] = [(16, 24, 23, 25, config.gemmName), (64, 48, 14, 14, config.igemmcName)]
        for (index, t) in cases.enumerated() {
            var m = TestModel()
            m.nodes = [TestNode("Conv", ["x", "w", "b"], ["c"], ["pads": .ints([1, 1, 1, 1])]), TestNode("Relu", ["c"], ["y"])]
            m.inputs = [.init(name: "x", type: .float, dims: [1, t.c, t.h, t.w])]
            m.outputs = [.init(name: "y", type: .float, dims: nil)]
            let w = Tensor.f([t.k, t.c, 3, 3], randomFloats(t.k * t.c * 9, seed: UInt64(1001 + 10 * index)))
            let b = randomFloats(t.k, seed: UInt64(1002 + 10 * index))
            m.initializers = [("w", w), ("b", .f([t.k], b))]
            let x = Tensor.f([1, t.c, t.h, t.w], randomFloats(t.c * t.h * t.w, seed: UInt64(1003 + 10 * index)))
            let session = try InferenceSession(model: try ONNXModel(data: m.data()), options: .init(threads: 2))
            let expected = referenceConv(x: x, w: w, b: b, pads: [1, 1, 1, 1]).map { max($0, 0) }
            // Off by a few 1e-6 of the largest sum, as in `testMatchesTheReferenceConvolutionOnEveryInstructionSet`.
            let scale = expected.reduce(Float(1)) { max($0, abs($1)) }
            assertClose(try session.run(["x": x])["y"]!.floats, expected, tolerance: 1e-5 * scale)
            let kernels = try session.profile(["x": x], runs: 1).map(\.kernel)
            XCTAssertEqual(kernels, ["dense \(config.winogradName) + \(t.gemm)"])
        }
    }

    /// `sums` ([n, channels, plane]) through `finish`.
    private func finished(_ sums: [Float], _ finish: Finish, bias: [Float], residual: [Float], plane: Int, channels: Int) -> [Float] {
        sums.indices.map { i in
            let b = bias[i / plane % channels], v = sums[i]
            switch finish {
            case .none: return v
            case .bias: return v + b
            case .biasRelu: return max(v + b, 0)
            case .residualRelu: return max(v + b + residual[i], 0)
            case .clip: return min(max(v, -0.5), 0.5)
            case .silu: return (v + b) / (1 + exp(-(v + b)))
            }
        }
    }

    /// The Winograd convolution of `x` by `w` (pads `pad` on every side) in `form` with `finish`'s epilogue.
    private func run(_ x: Tensor, _ w: Tensor, pad: Int, _ finish: Finish, form: WinogradConvolution.Form, bias: [Float], residual: [Float],
                     context: KernelContext, outputCount: Int) -> [Float] {
        let (n, c, h, width, k) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], w.shape[0])
        let g = ConvGeometry(spatial: [h, width], kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [pad, pad, pad, pad],
                             out: [h + 2 * pad - 2, width + 2 * pad - 2])
        var y = [Float](repeating: .nan, count: outputCount)
        bias.withUnsafeBufferPointer { bp in
            residual.withUnsafeBufferPointer { rp in
                let activation: FusedActivation = switch finish {
                case .biasRelu, .residualRelu: .relu
                case .clip: .clip(-0.5, 0.5)
                default: .none
                }
                let epilogue = ConvEpilogue(bias: [.none, .clip].contains(finish) ? nil : bp.baseAddress,
                                            residual: finish == .residualRelu ? rp.baseAddress : nil, activation: activation,
                                            silu: finish == .silu, kernels: context.kernels)
                y.withUnsafeMutableBufferPointer { yp in
                    WinogradConvolution(geometry: g, batch: n, channels: c, outChannels: k, form: form)
                        .run(x: x.pointer(Float.self), weights: w.pointer(Float.self), epilogue: epilogue, y: yp.baseAddress!, context: context)
                }
            }
        }
        return y
    }
}
