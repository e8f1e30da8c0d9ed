/// `ConvTranspose` (any spatial rank, groups, dilations, pads, auto_pad, output_padding,
/// output_shape): per image and group, columns = Wᵀ·X by SGEMM, then col2im scatter-add
/// (3-D and more: `transposeND`).
struct ConvTransposeOperator: Operator {
    let c: OpContext
    let attributes: ConvGeometry.Attributes
    let group: Int
    let outputPadding: [Int]?
    let outputShape: [Int]?

    init(_ c: OpContext) throws {
        self.c = c
        attributes = try ConvGeometry.Attributes(c)
        group = try c.int("group", 1)
        outputPadding = try c.ints("output_padding")
        outputShape = try c.ints("output_shape")
    }

    /// Geometry from the output's point of view: `input` is the ConvTranspose input. With
    /// `output_shape` (or SAME auto_pad) the pads follow from the requested size and may be
    /// negative, which extends the output past the full transposed result (with bias only).
    private func window(_ x: [Int], _ w: [Int]) throws -> SpatialWindow {
        guard x.count >= 3, w.count == x.count else {
            throw c.error(.shapeMismatch, "input \(x) and weight \(w) must both be [N, C, spatial…] of equal rank")
        }
        let r = x.count - 2
        let spatial = Array(x[2...]), kernel = Array(w[2...])
        if let k = attributes.kernelShape, k != kernel {
            throw c.error(.shapeMismatch, "kernel_shape \(k) does not match weight shape \(w)")
        }
        let strides = attributes.strides ?? [Int](repeating: 1, count: r)
        let dilations = attributes.dilations ?? [Int](repeating: 1, count: r)
        let outPad = outputPadding ?? [Int](repeating: 0, count: r)
        var pads = attributes.pads ?? [Int](repeating: 0, count: 2 * r)
        guard strides.count == r, dilations.count == r, outPad.count == r, pads.count == 2 * r else {
            throw c.error(.invalidModel, "strides, dilations, output_padding or pads do not fit a \(r)-D input")
        }
        var out = [Int](repeating: 0, count: r)
        var requested = outputShape.map { Array($0.suffix(r)) }
        if requested == nil && (attributes.autoPad == "SAME_UPPER" || attributes.autoPad == "SAME_LOWER") {
            requested = (0..<r).map { spatial[$0] * strides[$0] }
        }
        for i in 0..<r {
            let ek = (kernel[i] - 1) * dilations[i] + 1
            let full = strides[i] * (spatial[i] - 1) + outPad[i] + ek
            if let requested {
                let total = full - requested[i]
                // Floor division, as the ONNX reference computes it (total may be negative).
                let half = Int((Double(total) / 2).rounded(.down))
                if attributes.autoPad == "SAME_UPPER" {
                    pads[i] = half; pads[i + r] = total - half
                } else {
                    pads[i] = total - half; pads[i + r] = half
                }
                out[i] = requested[i]
            } else {
                if attributes.autoPad == "VALID" { pads[i] = 0; pads[i + r] = 0 }
                out[i] = full - pads[i] - pads[i + r]
            }
        }
        guard out.allSatisfy({ $0 >= 0 }) else {
            throw c.error(.shapeMismatch, "pads \(pads) leave a negative output size \(out)")
        }
        return SpatialWindow(input: spatial, kernel: kernel, strides: strides, dilations: dilations,
                             padsBegin: Array(pads[..<r]), padsEnd: Array(pads[r...]), output: out)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0, "X"), w = try c.required(inputs, 1, "W")
        try c.check(x.dataType, in: floatTypes)
        let window = try window(x.shape, w.shape)
        guard w.shape[0] == x.shape[1], x.shape[1] % group == 0 else {
            throw c.error(.shapeMismatch, "weight \(w.shape) does not match \(x.shape[1]) input channels with group \(group)")
        }
        let m = w.shape[1] * group
        try c.checkBias(inputs, outputChannels: m)
        return [ValueSpec(.float, [x.shape[0], m] + window.output)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, w = inputs[1]!, y = outputs[0]
        let bias = inputs.count > 2 ? inputs[2] : nil
        let window = try window(x.shape, w.shape)
        if window.rank > 2 {
            try transposeND(x, w, bias, y, window, context)
            return
        }
        let g = ConvGeometry(window)
        let n = x.shape[0], channels = x.shape[1]
        let cg = channels / group, mg = w.shape[1], m = mg * group
        let inPlane = g.inH * g.inW, outPlane = g.outH * g.outW
        let rows = mg * g.kH * g.kW
        let cols = context.scratchFloats(thread: 0, rows * inPlane)
        let xp = x.pointer(Float.self), wp = w.pointer(Float.self), yp = y.pointer(Float.self)
        for img in 0..<n {
            for gi in 0..<group {
                sgemm(transA: true, transB: false, m: rows, n: inPlane, k: cg, alpha: 1,
                      a: wp + gi * cg * rows, lda: rows, b: xp + (img * channels + gi * cg) * inPlane, ldb: inPlane,
                      beta: 0, c: cols, ldc: inPlane, context: context)
                let yg = yp + (img * m + gi * mg) * outPlane
                context.pool.parallelFor(mg) { oc, _ in
                    let dst = yg + oc * outPlane
                    dst.update(repeating: bias?.pointer(Float.self)[gi * mg + oc] ?? 0, count: outPlane)
                    for ki in 0..<g.kH {
                        for kj in 0..<g.kW {
                            let src = cols + ((oc * g.kH + ki) * g.kW + kj) * inPlane
                            for iy in 0..<g.inH {
                                let oy = iy * g.strideH - g.padTop + ki * g.dilationH
                                if oy < 0 || oy >= g.outH { continue }
                                for ix in 0..<g.inW {
                                    let ox = ix * g.strideW - g.padLeft + kj * g.dilationW
                                    if ox < 0 || ox >= g.outW { continue }
                                    dst[oy * g.outW + ox] += src[iy * g.inW + ix]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
