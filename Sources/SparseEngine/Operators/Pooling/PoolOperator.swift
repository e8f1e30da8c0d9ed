import Foundation

/// `MaxPool` (with the optional Indices output in either `storage_order`), `AveragePool`
/// (`count_include_pad`) and `LpPool` (`(Σ|x|^p)^(1/p)`, padding counting as zeros), with
/// `ceil_mode`, dilations and `auto_pad`, over any number of spatial axes. 1-D and 2-D
/// pools run a direct 2-D loop; more axes use `SpatialWindow`'s source table. MaxPool also
/// takes float16, int8 and uint8 tensors: 8-bit ones on `u8MaxPool2D` when the window is plain (no dilation, no
/// indices), the others pooled in float, which holds them exactly.
struct PoolOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let attributes: ConvGeometry.Attributes
    let countIncludePad: Bool
    let columnMajorIndices: Bool
    let p: Float

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        attributes = try ConvGeometry.Attributes(c)
        countIncludePad = try c.int("count_include_pad", 0) != 0
        columnMajorIndices = try c.int("storage_order", 0) != 0
        p = Float(try c.int("p", 2))
        guard attributes.kernelShape != nil else { throw c.error(.invalidModel, "attribute 'kernel_shape' is required") }
    }

    private func window(_ x: [Int]) throws -> SpatialWindow {
        guard x.count >= 3 else { throw c.error(.shapeMismatch, "input \(x) must be [N, C, spatial…]") }
        return try SpatialWindow(spatial: Array(x[2...]), kernel: attributes.kernelShape!, attributes: attributes, c: c)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: kind == .maxPool ? [.float, .float16, .int8, .uint8] : floatTypes)
        let w = try window(x.shape)
        let shape = Array(x.shape[0..<2]) + w.output
        var out = [ValueSpec(x.dataType, shape)]
        if kind == .maxPool && c.node.outputs.count > 1 { out.append(ValueSpec(.int64, shape)) }
        return out
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let indices = outputs.count > 1 ? outputs[1].pointer(Int64.self) : nil
        if [.uint8, .int8].contains(x.dataType), kind == .maxPool, indices == nil, let g = try plainWindow(x.shape) {
            u8MaxPool2D(x.rawPointer.assumingMemoryBound(to: UInt8.self), y.rawPointer.assumingMemoryBound(to: UInt8.self),
                        planes: x.shape[0] * x.shape[1], g, flip: x.dataType == .int8 ? 0x80 : 0, scratch: context.scratchFloats,
                        pool: context.pool)
            return
        }
        guard x.dataType == .float else {
            // Pool a float copy; max pooling of float16 and 8-bit integers is exact in float. 8-bit values convert on
            // the INT8 set's vector kernels (dequantization and quantization with scale 1, zero point 0: exact).
            let xf = try Tensor(zeros: .float, shape: x.shape), yf = try Tensor(zeros: .float, shape: y.shape)
            let qs8 = context.kernels.qs8, signed = x.dataType == .int8
            if x.dataType == .uint8 || signed {
                qs8.dequantize(x.count, x.rawPointer.assumingMemoryBound(to: UInt8.self), signed, 1, 0, xf.pointer(Float.self))
            } else {
                try castTensor(x, into: xf)
            }
            try pool(xf, yf, indices, context)
            if y.dataType == .uint8 || y.dataType == .int8 {
                qs8.quantize(y.count, yf.pointer(Float.self), 1, 0, signed ? -128 : 0, signed ? 127 : 255, y.rawPointer.assumingMemoryBound(to: UInt8.self))
            } else {
                try castTensor(yf, into: y)
            }
            return
        }
        try pool(x, y, indices, context)
    }

    /// The window of a 1-D or 2-D pool without dilation, which the sliding-window kernels take; nil otherwise.
    private func plainWindow(_ shape: [Int]) throws -> SlidingWindow2D? {
        let w = try window(shape)
        guard w.rank <= 2 else { return nil }
        let g = ConvGeometry(w)
        guard g.dilationH == 1 && g.dilationW == 1 else { return nil }
        return SlidingWindow2D(inH: g.inH, inW: g.inW, outH: g.outH, outW: g.outW, kH: g.kH, kW: g.kW,
                               strideH: g.strideH, strideW: g.strideW, padTop: g.padTop, padLeft: g.padLeft)
    }

    private func pool(_ x: Tensor, _ y: Tensor, _ indices: UnsafeMutablePointer<Int64>?, _ context: KernelContext) throws {
        let w = try window(x.shape)
        let planes = x.shape[0] * x.shape[1]
        let xp = x.pointer(Float.self), yp = y.pointer(Float.self)
        if w.rank <= 2 {
            if kind == .maxPool && indices == nil, let window = try plainWindow(x.shape) {
                f32MaxPool2D(xp, yp, planes: planes, window, scratch: context.scratchFloats, pool: context.pool)
                return
            }
            pool2D(ConvGeometry(w), planes: planes, xp, yp, indices, context)
        } else {
            poolND(w, planes: planes, xp, yp, indices, context)
        }
    }

    private func pool2D(_ g: ConvGeometry, planes: Int, _ xp: UnsafeMutablePointer<Float>, _ yp: UnsafeMutablePointer<Float>,
                        _ indices: UnsafeMutablePointer<Int64>?, _ context: KernelContext) {
        let inPlane = g.inH * g.inW, outPlane = g.outH * g.outW
        let isMax = kind == .maxPool, isLp = kind == .lpPool, lp = p, includePad = countIncludePad, columnMajor = columnMajorIndices
        context.pool.parallelFor(planes) { p, _ in
            let src = xp + p * inPlane, dst = yp + p * outPlane
            for oy in 0..<g.outH {
                let y0 = oy * g.strideH - g.padTop
                for ox in 0..<g.outW {
                    let x0 = ox * g.strideW - g.padLeft
                    var best = -Float.infinity, bestY = -1, bestX = 0
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
                                if v > best || bestY < 0 { best = v; bestY = iy; bestX = ix }
                            } else if isLp {
                                sum += powf(Swift.abs(v), lp)
                            } else {
                                sum += v
                                valid += 1
                            }
                        }
                    }
                    let o = oy * g.outW + ox
                    if isMax {
                        dst[o] = best
                        let offset = columnMajor ? max(bestY, 0) + bestX * g.inH : max(bestY, 0) * g.inW + bestX
                        indices?[p * outPlane + o] = Int64(p * inPlane + offset)
                    } else if isLp {
                        dst[o] = powf(sum, 1 / lp)
                    } else {
                        let divisor = includePad ? padded : valid
                        dst[o] = divisor > 0 ? sum / Float(divisor) : 0
                    }
                }
            }
        }
    }

    /// Three or more spatial axes: each output reads the input offsets of the source table.
    private func poolND(_ w: SpatialWindow, planes: Int, _ xp: UnsafeMutablePointer<Float>, _ yp: UnsafeMutablePointer<Float>,
                        _ indices: UnsafeMutablePointer<Int64>?, _ context: KernelContext) {
        let table = w.sourceTable()
        let inPlane = w.inputCount, outPlane = w.outputCount
        // Window positions inside the input or its pads (not beyond them, as ceil_mode allows).
        var paddedCounts: [Int] = []
        forEachIndex(w.output) { o in
            var count = 1
            for d in 0..<w.rank {
                count *= (0..<w.kernel[d]).filter { o[d] * w.strides[d] - w.padsBegin[d] + $0 * w.dilations[d] < w.input[d] + w.padsEnd[d] }.count
            }
            paddedCounts.append(count)
        }
        let inStrides = contiguousStrides(w.input)
        var columnStrides = [Int](repeating: 1, count: w.rank)
        for d in 1..<max(w.rank, 1) { columnStrides[d] = columnStrides[d - 1] * w.input[d - 1] }
        let isMax = kind == .maxPool, isLp = kind == .lpPool, lp = p, includePad = countIncludePad, columnMajor = columnMajorIndices
        context.pool.parallelFor(planes) { p, _ in
            let src = xp + p * inPlane, dst = yp + p * outPlane
            for o in 0..<outPlane {
                var best = -Float.infinity, bestOffset = -1
                var sum: Float = 0, valid = 0
                for k in table.indices {
                    let offset = table[k][o]
                    if offset < 0 { continue }
                    let v = src[offset]
                    if isMax {
                        if v > best || bestOffset < 0 { best = v; bestOffset = offset }
                    } else if isLp {
                        sum += powf(Swift.abs(v), lp)
                    } else {
                        sum += v
                        valid += 1
                    }
                }
                if isMax {
                    dst[o] = best
                    var index = max(bestOffset, 0)
                    if columnMajor {
                        var rest = index
                        index = 0
                        for d in 0..<w.rank {
                            index += rest / inStrides[d] * columnStrides[d]
                            rest %= inStrides[d]
                        }
                    }
                    indices?[p * outPlane + o] = Int64(p * inPlane + index)
                } else if isLp {
                    dst[o] = powf(sum, 1 / lp)
                } else {
                    let divisor = includePad ? paddedCounts[o] : valid
                    dst[o] = divisor > 0 ? sum / Float(divisor) : 0
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
