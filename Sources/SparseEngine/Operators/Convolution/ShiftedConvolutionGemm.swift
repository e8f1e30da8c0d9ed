/// A dense 2-D convolution as a GEMM whose activation operand is never materialized (no im2col): as for
/// `ShiftedConvolutionSpMMOperands`, the input is read through its stride phases, where reduction row
/// k = (c, ky, kx) at pixel v = oy·phaseW + ox is `source[rowOffsets[k] + v]`.
///
/// Two forms, by which pads less (`prefersChannels`):
/// - over pixels (`runOverPixels`), `Y = W · B`: tiles of output channels × 32 consecutive pixels v, B's rows
///   read in place as contiguous runs (columns ox ≥ outW are computed and dropped);
/// - over channels (`runOverChannels`), `Yᵀ = Bᵀ · Wᵀ`, for few output pixels (e.g. 7×7): tiles of 8 output
///   pixels × 32 channels, each pixel read through its own base, pixels of all images in one sequence.
///
/// Finished tiles leave through the `ConvEpilogue`.
struct ShiftedConvolutionGemm {
    /// The input as `stridePhases` gives it: [batch, phases, channels, phaseH, phaseW].
    let source: UnsafePointer<Float>
    let phaseH: Int, phaseW: Int
    let geometry: ConvGeometry
    let batch: Int, channels: Int
    /// `ShiftedConvolutionSpMMOperands.rowOffsets` over all input channels (bytes).
    let rowOffsets: [Int32]
    /// `usedPhases(geometry).count`.
    let phaseCount: Int

    /// Largest input (all images, after `stridePhases`) whose panels are read in place, and the most the
    /// operator hands over at once when there are several images. Larger ones come from L3 or memory, where
    /// copying a panel first, with its loads independent of each other, waits less.
    static let inPlaceSourceBytes = 4 << 20

    /// Pixels v of one image, up to the last valid one.
    var imagePixels: Int { (geometry.outH - 1) * phaseW + geometry.outW }
    /// Bytes of one image in `source`.
    var imageBytes: Int { phaseCount * channels * phaseH * phaseW * MemoryLayout<Float>.size }

    /// `y = epilogue(W ⊛ x)` with `weights` [outChannels, channels / groups, kH, kW] and `y` [batch, outChannels,
    /// outH, outW].
    func run(weights: UnsafePointer<Float>, outChannels: Int, groups: Int, epilogue: ConvEpilogue, y: UnsafeMutablePointer<Float>,
             context: KernelContext) {
        let g = geometry
        let mg = outChannels / groups, k = channels / groups * g.kH * g.kW
        guard batch > 0, g.outH > 0, g.outW > 0, mg > 0, k > 0 else { return }
        let overChannels = prefersChannels(outChannels: mg, mr: context.kernels.igemmMR, nr: context.kernels.igemmNR)
        rowOffsets.withUnsafeBufferPointer { rowOffsets in
            for group in 0..<groups {
                let output = ConvGemmOutput(y: y, firstChannel: group * mg, channels: mg, outChannels: outChannels, epilogue: epilogue)
                let weights = weights + group * mg * k, offsets = rowOffsets.baseAddress! + group * k
                if overChannels {
                    runOverChannels(weights: weights, k: k, rowOffsets: offsets, output: output, context: context)
                } else {
                    runOverPixels(weights: weights, k: k, rowOffsets: offsets, output: output, context: context)
                }
            }
        }
    }

    /// True when tiles of MR pixels × NR channels pad the work at least 10 % less than tiles of MR channels ×
    /// NR pixels v (whose images each round up to NR).
    func prefersChannels(outChannels: Int, mr: Int, nr: Int) -> Bool {
        func roundUp(_ x: Int, _ to: Int) -> Int { (x + to - 1) / to * to }
        let overPixels = batch * roundUp(imagePixels, nr) * roundUp(outChannels, mr)
        let overChannels = roundUp(batch * geometry.outH * geometry.outW, mr) * roundUp(outChannels, nr)
        return overChannels * 10 < overPixels * 9
    }
}

/// Where one group's results go: output channels `firstChannel ..< firstChannel + channels` of `y`
/// ([batch, outChannels, outH, outW]), through the epilogue.
struct ConvGemmOutput {
    let y: UnsafeMutablePointer<Float>
    let firstChannel: Int, channels: Int, outChannels: Int
    let epilogue: ConvEpilogue
}

/// The input as the shifted convolutions read it: `x` itself when it needs neither padding nor stride phases,
/// else `polyphase`'s copy in the context's second shared buffer.
func stridePhases(_ x: UnsafePointer<Float>, batch: Int, channels: Int, _ g: ConvGeometry, phaseCount: Int,
                  context: KernelContext) -> UnsafePointer<Float> {
    let (phaseH, phaseW) = phaseSize(g)
    guard phaseH != g.inH || phaseW != g.inW || g.strideH != 1 || g.strideW != 1 else { return x }
    let phases = context.sharedFloats(.second, batch * phaseCount * channels * phaseH * phaseW)
    polyphase(x, into: phases, batch: batch, channels: channels, g, pool: context.pool)
    return UnsafePointer(phases)
}
