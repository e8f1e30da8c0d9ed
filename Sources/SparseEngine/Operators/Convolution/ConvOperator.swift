/// An activation applied in the epilogue of Conv/Gemm (set by the fusion pass).
enum FusedActivation: Equatable {
    case none
    case relu
    case clip(Float, Float)

    /// Reads the private `zoo.activation` attributes written by `ActivationFusion`.
    init(_ c: OpContext) throws {
        switch try c.string(FusedActivation.attribute, "") {
        case "": self = .none
        case "Relu": self = .relu
        case "Clip": self = .clip(try c.float(FusedActivation.minAttribute, -.infinity), try c.float(FusedActivation.maxAttribute, .infinity))
        case let other: throw c.error(.invalidModel, "unknown fused activation '\(other)'")
        }
    }

    static let attribute = "zoo.activation"
    static let minAttribute = "zoo.activation_min"
    static let maxAttribute = "zoo.activation_max"

    /// The activation as [min, max] bounds: (−∞, ∞) for none, (0, ∞) for Relu.
    var bounds: (low: Float, high: Float) {
        switch self {
        case .none: return (-.infinity, .infinity)
        case .relu: return (0, .infinity)
        case .clip(let lo, let hi): return (lo, hi)
        }
    }

    /// Applies the activation in place to `count` floats.
    func apply(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        switch self {
        case .none: return
        case .relu: for i in 0..<count { p[i] = Swift.max(p[i], 0) }
        case .clip(let lo, let hi): for i in 0..<count { p[i] = Swift.min(Swift.max(p[i], lo), hi) }
        }
    }
}

/// `Conv` (any spatial rank, groups, dilations, pads, auto_pad, strides): 1-D and 2-D convolutions run
/// as a GEMM reading the input through its stride phases (`ShiftedConvolutionGemm`), those 3×3 stride-1 ones
/// with enough channels and tiles by Winograd's F(4×4, 3×3) (`WinogradConvolution`), depthwise ones on a
/// direct kernel, 3-D and more on `convolveND`. Bias, a fused residual Add of the output's shape and a fused
/// activation are applied in the epilogue. A convolution whose weight `SparseWeightSelection` compressed runs
/// on `spmm` instead.
struct ConvOperator: Operator {
    let c: OpContext
    let attributes: ConvGeometry.Attributes
    let group: Int
    let activation: FusedActivation
    /// SiLU folded in by `SiLUFusion`, applied to the finished output.
    let silu: Bool
    /// An Add folded in by `AddFusion` (input #3); the activation then waits until it has been added.
    let fusedAdd: Bool
    /// The activation the convolution paths apply themselves: none when a fused Add comes first.
    var inlineActivation: FusedActivation { fusedAdd ? .none : activation }
    /// The dense weight's shape when the weight input holds `SparseWeights`.
    let sparseWeightShape: [Int]?
    /// The row offsets through the input's stride phases (dense and sparse paths), per input geometry.
    private let rowOffsets = ShiftedRowOffsetCache()

    init(_ c: OpContext) throws {
        self.c = c
        attributes = try ConvGeometry.Attributes(c)
        group = try c.int("group", 1)
        activation = try FusedActivation(c)
        silu = try c.int(SiLUFusion.attribute, 0) != 0
        fusedAdd = try FusedAdd.isPresent(c)
        sparseWeightShape = try c.ints(SparseWeightSelection.shapeAttribute)
        guard group >= 1 else { throw c.error(.invalidModel, "group must be at least 1, got \(group)") }
    }

    private func window(_ x: [Int], _ w: [Int]) throws -> SpatialWindow {
        guard x.count >= 3, w.count == x.count else {
            throw c.error(.shapeMismatch, "input \(x) and weight \(w) must both be [N, C, spatial…] of equal rank")
        }
        let kernel = Array(w[2...])
        if let k = attributes.kernelShape, k != kernel {
            throw c.error(.shapeMismatch, "kernel_shape \(k) does not match weight shape \(w)")
        }
        return try SpatialWindow(spatial: Array(x[2...]), kernel: kernel, attributes: attributes, c: c)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0, "X"), weight = try c.required(inputs, 1, "W")
        try c.check(x.dataType, in: floatTypes)
        if sparseWeightShape == nil { try c.check(weight.dataType, in: floatTypes, "weight") }
        let w = ValueSpec(.float, sparseWeightShape ?? weight.shape)
        let window = try window(x.shape, w.shape)
        let channels = x.shape[1], m = w.shape[0]
        guard channels % group == 0, m % group == 0, w.shape[1] * group == channels else {
            throw c.error(.shapeMismatch, "input has \(channels) channels but weight \(w.shape) with group \(group) expects \(w.shape[1] * group)")
        }
        try c.checkBias(inputs, outputChannels: m)
        let output = [x.shape[0], m] + window.output
        if fusedAdd { try FusedAdd.check(try c.required(inputs, 3, "fused Add operand"), into: output, c) }
        return [ValueSpec(.float, output)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        var siluPending = silu
        if sparseWeightShape != nil, let weights = SparseWeights(inputs[1]!) {
            try convolveSparse(inputs, weights, outputs[0], context)
        } else {
            let rest = try convolve(inputs, outputs, context)
            if rest.addPending { FusedAdd.finish(outputs[0], inputs[3]!, activation, context) }
            siluPending = silu && !rest.siluApplied
        }
        if siluPending { f32SiLU(outputs[0].pointer(Float.self), count: outputs[0].count, kernels: context.kernels, pool: context.pool) }
    }

    /// Computes the convolution; says whether the fused Add (and the activation after it) is still to be applied,
    /// and whether the fused SiLU has been (by the GEMM paths' epilogue, when no Add follows).
    private func convolve(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws -> (addPending: Bool, siluApplied: Bool) {
        let x = inputs[0]!, w = inputs[1]!, y = outputs[0]
        let bias = inputs.count > 2 ? inputs[2] : nil
        guard sparseWeightShape == nil else { throw c.error(.internalError, "the compressed weight is malformed") }
        let window = try window(x.shape, w.shape)
        if window.rank > 2 {
            try convolveND(x, w, bias, y, window, context)
            return (fusedAdd, false)
        }
        let g = ConvGeometry(window)
        let n = x.shape[0], channels = x.shape[1], m = w.shape[0]
        let xp = x.pointer(Float.self), wp = w.pointer(Float.self), yp = y.pointer(Float.self)
        let bp = bias?.pointer(Float.self)
        if channels == group && m == group {
            if g.dilationH == 1 && g.dilationW == 1 {
                let window = SlidingWindow2D(inH: g.inH, inW: g.inW, outH: g.outH, outW: g.outW, kH: g.kH, kW: g.kW,
                                             strideH: g.strideH, strideW: g.strideW, padTop: g.padTop, padLeft: g.padLeft)
                f32DepthwiseConv2D(xp, wp, bp, yp, planes: n * channels, channels: channels, window,
                                   epilogue: inlineActivation.apply, scratch: context.scratchFloats, pool: context.pool)
            } else {
                depthwise(xp, wp, bp, yp, n: n, channels: channels, g, context)
            }
            return (fusedAdd, false)
        }
        let residual = fusedAdd && inputs[3]!.shape == y.shape ? inputs[3]!.pointer(Float.self) : nil
        let addPending = fusedAdd && residual == nil
        if let form = WinogradConvolution.form(kernel: [g.kH, g.kW], strides: [g.strideH, g.strideW], dilations: [g.dilationH, g.dilationW],
                                               group: group, channels: channels, output: y.shape) {
            let epilogue = ConvEpilogue(bias: bp, residual: residual.map { UnsafePointer($0) }, activation: residual == nil ? inlineActivation : activation,
                                        silu: silu && !addPending, kernels: context.kernels)
            WinogradConvolution(geometry: g, batch: n, channels: channels, outChannels: m, form: form)
                .run(x: xp, weights: wp, epilogue: epilogue, y: yp, context: context)
            return (addPending, silu && !addPending)
        }
        let (phaseH, phaseW) = phaseSize(g)
        guard let (offsets, phaseCount, _) = rowOffsets.offsets(channels: channels, phaseH: phaseH, phaseW: phaseW, g) else {
            throw c.error(.unsupportedDataType, "input \(x.shape) is too large for the convolution (offsets past 2 GiB)")
        }
        // Images in groups whose stride phases stay within `inPlaceSourceBytes`, so they are read while in cache.
        let imageBytes = phaseCount * channels * phaseH * phaseW * MemoryLayout<Float>.size
        let perGroup = max(1, ShiftedConvolutionGemm.inPlaceSourceBytes / imageBytes)
        let inputImage = channels * g.inH * g.inW, outputImage = m * g.outH * g.outW
        for first in stride(from: 0, to: n, by: perGroup) {
            let images = min(perGroup, n - first)
            let epilogue = ConvEpilogue(bias: bp, residual: residual.map { UnsafePointer($0 + first * outputImage) },
                                        activation: residual == nil ? inlineActivation : activation, silu: silu && !addPending,
                                        kernels: context.kernels)
            let source = stridePhases(xp + first * inputImage, batch: images, channels: channels, g, phaseCount: phaseCount, context: context)
            let gemm = ShiftedConvolutionGemm(source: source, phaseH: phaseH, phaseW: phaseW, geometry: g, batch: images, channels: channels,
                                              rowOffsets: offsets, phaseCount: phaseCount)
            gemm.run(weights: wp, outChannels: m, groups: group, epilogue: epilogue, y: yp + first * outputImage, context: context)
        }
        return (addPending, silu && !addPending)
    }

    /// A convolution with compressed weights, reading its input in place (`ShiftedConvolutionSpMMOperands`). A
    /// fused residual of the output's shape is added by the kernel too; one that broadcasts is added after.
    private func convolveSparse(_ inputs: [Tensor?], _ weights: SparseWeights, _ y: Tensor, _ context: KernelContext) throws {
        let x = inputs[0]!, shape = sparseWeightShape!
        let bias = inputs.count > 2 ? inputs[2] : nil
        let addend = fusedAdd ? inputs[3]! : nil
        let addsInKernel = addend.map { $0.shape == y.shape } ?? false
        let g = ConvGeometry(try window(x.shape, shape))
        let batch = x.shape[0], channels = x.shape[1]
        let (phaseH, phaseW) = phaseSize(g)
        guard let (offsets, phaseCount, rowStride) = rowOffsets.offsets(channels: channels, phaseH: phaseH, phaseW: phaseW, g) else {
            throw c.error(.unsupportedDataType, "input \(x.shape) is too large for the sparse convolution (offsets past 2 GiB)")
        }
        let source = stridePhases(x.pointer(Float.self), batch: batch, channels: channels, g, phaseCount: phaseCount, context: context)
        let operands = ShiftedConvolutionSpMMOperands(
            source: source, phaseH: phaseH, phaseW: phaseW, y: y.pointer(Float.self), bias: bias?.pointer(Float.self),
            addend: addsInKernel ? addend!.pointer(Float.self) : nil, batch: batch, channels: channels, outChannels: shape[0],
            geometry: g, activation: addend == nil || addsInKernel ? activation : .none, rowOffsets: offsets, phaseCount: phaseCount,
            rowStride: rowStride, epilogue: context.kernels.epilogue)
        spmm(weights, operands, context: context)
        if let addend, !addsInKernel { FusedAdd.finish(y, addend, activation, context) }
    }

    /// One filter per channel: direct loops, parallel over (image, channel).
    private func depthwise(_ xp: UnsafePointer<Float>, _ wp: UnsafePointer<Float>, _ bp: UnsafePointer<Float>?,
                           _ yp: UnsafeMutablePointer<Float>, n: Int, channels: Int, _ g: ConvGeometry, _ context: KernelContext) {
        let plane = g.outH * g.outW, inPlane = g.inH * g.inW, kk = g.kH * g.kW
        let act = inlineActivation
        context.pool.parallelFor(n * channels) { i, _ in
            let ch = i % channels
            let src = xp + i * inPlane, dst = yp + i * plane, wk = wp + ch * kk
            let b = bp?[ch] ?? 0
            for oy in 0..<g.outH {
                let iy0 = oy * g.strideH - g.padTop
                for ox in 0..<g.outW {
                    let ix0 = ox * g.strideW - g.padLeft
                    var acc = b
                    for ki in 0..<g.kH {
                        let iy = iy0 + ki * g.dilationH
                        if iy < 0 || iy >= g.inH { continue }
                        let row = src + iy * g.inW
                        for kj in 0..<g.kW {
                            let ix = ix0 + kj * g.dilationW
                            if ix < 0 || ix >= g.inW { continue }
                            acc += row[ix] * wk[ki * g.kW + kj]
                        }
                    }
                    dst[oy * g.outW + ox] = acc
                }
            }
            act.apply(dst, plane)
        }
    }
}
