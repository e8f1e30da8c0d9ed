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

/// `Conv` (any spatial rank, groups, dilations, pads, auto_pad, strides): im2col + SGEMM per
/// image and group; depthwise convolutions use a direct kernel; 1×1 stride-1 convolutions skip
/// im2col; 3-D and more use `convolveND`. Bias and a fused activation are applied in the epilogue.
/// A convolution whose weight `SparseWeightSelection` compressed runs on `spmm` instead.
struct ConvOperator: Operator {
    let c: OpContext
    let attributes: ConvGeometry.Attributes
    let group: Int
    let activation: FusedActivation
    /// An Add folded in by `AddFusion` (input #3); the activation then waits until it has been added.
    let fusedAdd: Bool
    /// The activation the convolution paths apply themselves: none when a fused Add comes first.
    var inlineActivation: FusedActivation { fusedAdd ? .none : activation }
    /// The dense weight's shape when the weight input holds `SparseWeights`.
    let sparseWeightShape: [Int]?
    /// The in-place row offsets of the sparse path, per input geometry.
    private let sparseOffsets = ShiftedRowOffsetCache()

    init(_ c: OpContext) throws {
        self.c = c
        attributes = try ConvGeometry.Attributes(c)
        group = try c.int("group", 1)
        activation = try FusedActivation(c)
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
        if sparseWeightShape != nil, let weights = SparseWeights(inputs[1]!) {
            try convolveSparse(inputs, weights, outputs[0], context)
            return
        }
        try convolve(inputs, outputs, context)
        if fusedAdd { FusedAdd.finish(outputs[0], inputs[3]!, activation, context) }
    }

    private func convolve(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, w = inputs[1]!, y = outputs[0]
        let bias = inputs.count > 2 ? inputs[2] : nil
        guard sparseWeightShape == nil else { throw c.error(.internalError, "the compressed weight is malformed") }
        let window = try window(x.shape, w.shape)
        if window.rank > 2 {
            try convolveND(x, w, bias, y, window, context)
            return
        }
        let g = ConvGeometry(window)
        let n = x.shape[0], channels = x.shape[1], m = w.shape[0]
        let cg = channels / group, mg = m / group
        let kSize = cg * g.kH * g.kW
        let plane = g.outH * g.outW
        let inPlane = g.inH * g.inW
        let xp = x.pointer(Float.self), wp = w.pointer(Float.self), yp = y.pointer(Float.self)
        let bp = bias?.pointer(Float.self)

        if cg == 1 && mg == 1 {
            if g.dilationH == 1 && g.dilationW == 1 {
                let window = SlidingWindow2D(inH: g.inH, inW: g.inW, outH: g.outH, outW: g.outW, kH: g.kH, kW: g.kW,
                                             strideH: g.strideH, strideW: g.strideW, padTop: g.padTop, padLeft: g.padLeft)
                f32DepthwiseConv2D(xp, wp, bp, yp, planes: n * channels, channels: channels, window,
                                   epilogue: inlineActivation.apply, scratch: context.scratchFloats, pool: context.pool)
                return
            }
            depthwise(xp, wp, bp, yp, n: n, channels: channels, g, context)
            return
        }
        let pointwise = g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1
            && g.padTop == 0 && g.padLeft == 0 && g.padBottom == 0 && g.padRight == 0
        let cols = pointwise ? nil : context.scratchFloats(thread: 0, kSize * plane)
        for img in 0..<n {
            for gi in 0..<group {
                let xg = xp + (img * channels + gi * cg) * inPlane
                let yg = yp + (img * m + gi * mg) * plane
                // Start from the bias (or zero) and accumulate the product.
                for oc in 0..<mg {
                    yg.advanced(by: oc * plane).update(repeating: bp?[gi * mg + oc] ?? 0, count: plane)
                }
                let b: UnsafePointer<Float>
                if let cols {
                    im2col(xg, channels: cg, g, cols, pool: context.pool)
                    b = UnsafePointer(cols)
                } else {
                    b = UnsafePointer(xg)
                }
                sgemm(transA: false, transB: false, m: mg, n: plane, k: kSize, alpha: 1,
                      a: wp + gi * mg * kSize, lda: kSize, b: b, ldb: plane, beta: 1, c: yg, ldc: plane, context: context)
            }
        }
        if inlineActivation != .none {
            let act = inlineActivation
            context.pool.parallelFor(n * m) { i, _ in act.apply(yp + i * plane, plane) }
        }
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
        guard let offsets = sparseOffsets.offsets(channels: channels, phaseH: phaseH, phaseW: phaseW, g) else {
            throw c.error(.unsupportedDataType, "input \(x.shape) is too large for the sparse convolution (offsets past 2 GiB)")
        }
        let phaseCount = usedPhases(g).count
        var source = UnsafePointer(x.pointer(Float.self))
        if phaseH != g.inH || phaseW != g.inW || g.strideH != 1 || g.strideW != 1 {
            let phases = context.sharedFloats(.second, batch * phaseCount * channels * phaseH * phaseW)
            polyphase(source, into: phases, batch: batch, channels: channels, g, pool: context.pool)
            source = UnsafePointer(phases)
        }
        let operands = ShiftedConvolutionSpMMOperands(
            source: source, phaseH: phaseH, phaseW: phaseW, y: y.pointer(Float.self), bias: bias?.pointer(Float.self),
            addend: addsInKernel ? addend!.pointer(Float.self) : nil, batch: batch, channels: channels, outChannels: shape[0],
            geometry: g, activation: addend == nil || addsInKernel ? activation : .none, rowOffsets: offsets, phaseCount: phaseCount)
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
