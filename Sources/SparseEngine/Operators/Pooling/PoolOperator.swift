/// `MaxPool` (with optional Indices output) and `AveragePool` (count_include_pad, ceil_mode,
/// dilations), 1-D and 2-D.
struct PoolOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let attributes: ConvGeometry.Attributes
    let countIncludePad: Bool

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        attributes = try ConvGeometry.Attributes(c)
        countIncludePad = try c.int("count_include_pad", 0) != 0
        guard attributes.kernelShape != nil else { throw c.error(.invalidModel, "attribute 'kernel_shape' is required") }
        if try c.int("storage_order", 0) != 0 {
            throw c.error(.unsupportedAttribute, "storage_order=1 (column-major indices) is not supported")
        }
    }

    private func geometry(_ x: [Int]) throws -> ConvGeometry {
        guard x.count >= 3 else { throw c.error(.shapeMismatch, "input \(x) must be [N, C, spatial…]") }
        return try ConvGeometry(spatial: Array(x[2...]), kernel: attributes.kernelShape!, attributes: attributes, c: c)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: floatTypes)
        let g = try geometry(x.shape)
        let shape = Array(x.shape[0..<2]) + g.outputSpatial(rank: x.shape.count - 2)
        var out = [ValueSpec(.float, shape)]
        if kind == .maxPool && c.node.outputs.count > 1 { out.append(ValueSpec(.int64, shape)) }
        return out
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let g = try geometry(x.shape)
        let planes = x.shape[0] * x.shape[1]
        let inPlane = g.inH * g.inW, outPlane = g.outH * g.outW
        let xp = x.pointer(Float.self), yp = y.pointer(Float.self)
        let indices = outputs.count > 1 ? outputs[1].pointer(Int64.self) : nil
        let isMax = kind == .maxPool, includePad = countIncludePad
        context.pool.parallelFor(planes) { p, _ in
            let src = xp + p * inPlane, dst = yp + p * outPlane
            for oy in 0..<g.outH {
                let y0 = oy * g.strideH - g.padTop
                for ox in 0..<g.outW {
                    let x0 = ox * g.strideW - g.padLeft
                    var best = -Float.infinity, bestIndex = -1
                    var sum: Float = 0, valid = 0, padded = 0
                    for ki in 0..<g.kH {
                        let iy = y0 + ki * g.dilationH
                        let rowInPads = iy < g.inH + g.padBottom
                        for kj in 0..<g.kW {
                            let ix = x0 + kj * g.dilationW
                            if rowInPads && ix < g.inW + g.padRight { padded += 1 }
                            if iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW { continue }
                            let v = src[iy * g.inW + ix]
                            if isMax {
                                if v > best || bestIndex < 0 { best = v; bestIndex = iy * g.inW + ix }
                            } else {
                                sum += v
                                valid += 1
                            }
                        }
                    }
                    if isMax {
                        dst[oy * g.outW + ox] = best
                        indices?[p * outPlane + oy * g.outW + ox] = Int64(p * inPlane + max(bestIndex, 0))
                    } else {
                        let divisor = includePad ? padded : valid
                        dst[oy * g.outW + ox] = divisor > 0 ? sum / Float(divisor) : 0
                    }
                }
            }
        }
    }
}

/// `GlobalAveragePool` and `GlobalMaxPool` over all spatial dims.
struct GlobalPoolOperator: Operator {
    let kind: OpKind
    let c: OpContext

    init(_ kind: OpKind, _ c: OpContext) {
        self.kind = kind
        self.c = c
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: floatTypes)
        guard x.shape.count >= 3 else { throw c.error(.shapeMismatch, "input \(x.shape) must be [N, C, spatial…]") }
        return [ValueSpec(.float, Array(x.shape[0..<2]) + [Int](repeating: 1, count: x.shape.count - 2))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!
        let planes = x.shape[0] * x.shape[1]
        let size = x.shape[2...].reduce(1, *)
        let xp = x.pointer(Float.self), yp = outputs[0].pointer(Float.self)
        let isMax = kind == .globalMaxPool
        context.pool.parallelFor(planes) { p, _ in
            let s = xp + p * size
            if isMax {
                var m = -Float.infinity
                for i in 0..<size { m = Swift.max(m, s[i]) }
                yp[p] = m
            } else {
                var acc: Float = 0
                for i in 0..<size { acc += s[i] }
                yp[p] = size > 0 ? acc / Float(size) : 0
            }
        }
    }
}
