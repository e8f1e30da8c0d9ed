import Foundation

/// `Resize` (opset 10–19) in `nearest` and `linear` modes with the coordinate transforms
/// `half_pixel`, `pytorch_half_pixel`, `align_corners`, `asymmetric` and the `nearest_mode`s.
/// Output size comes from `sizes`, else `floor(input · scale)`. Opset 10 behaves as
/// `asymmetric` + `floor` (the old Upsample semantics).
struct ResizeOperator: Operator {
    let c: OpContext
    let mode: String
    let coordinateMode: String
    let nearestMode: String

    init(_ c: OpContext) throws {
        self.c = c
        mode = try c.string("mode", "nearest")
        guard mode == "nearest" || mode == "linear" else {
            throw c.error(.unsupportedAttribute, "mode '\(mode)' is not supported (nearest, linear)")
        }
        if c.opset < 11 {
            coordinateMode = "asymmetric"
            nearestMode = "floor"
        } else {
            coordinateMode = try c.string("coordinate_transformation_mode", "half_pixel")
            nearestMode = try c.string("nearest_mode", "round_prefer_floor")
        }
        guard ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"].contains(coordinateMode) else {
            throw c.error(.unsupportedAttribute, "coordinate_transformation_mode '\(coordinateMode)' is not supported")
        }
        guard ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"].contains(nearestMode) else {
            throw c.error(.unsupportedAttribute, "nearest_mode '\(nearestMode)' is not supported")
        }
        if try c.int("antialias", 0) != 0 { throw c.error(.unsupportedAttribute, "antialias=1 is not supported") }
        if c.node.attributes["axes"] != nil { throw c.error(.unsupportedAttribute, "the 'axes' attribute is not supported") }
        let policy = try c.string("keep_aspect_ratio_policy", "stretch")
        guard policy == "stretch" else { throw c.error(.unsupportedAttribute, "keep_aspect_ratio_policy '\(policy)' is not supported") }
    }

    /// Output shape and the per-axis scale used by the coordinate transform.
    private func plan(_ inputs: [ValueSpec?], shape: [Int]) throws -> ([Int], [Double]) {
        let scalesIndex = c.opset < 11 ? 1 : 2
        var scales = inputs.count > scalesIndex ? try c.knownDoubles(inputs[scalesIndex], "scales") : nil
        if scales?.isEmpty == true { scales = nil }
        var sizes = inputs.count > 3 ? try c.knownInts(inputs[3], "sizes") : nil
        if sizes?.isEmpty == true { sizes = nil }
        if let sizes {
            guard sizes.count == shape.count else { throw c.error(.shapeMismatch, "sizes \(sizes) must have one entry per axis of \(shape)") }
            return (sizes, zip(sizes, shape).map { $1 == 0 ? 1 : Double($0) / Double($1) })
        }
        guard let scales, scales.count == shape.count, scales.allSatisfy({ $0 > 0 }) else {
            throw c.error(.invalidModel, "needs positive 'scales' (one per axis of \(shape)) or 'sizes'")
        }
        return (zip(shape, scales).map { Int((Double($0) * $1).rounded(.down)) }, scales)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: floatTypes)
        return [ValueSpec(x.dataType, try plan(inputs, shape: x.shape).0)]
    }

    private func sourceCoordinate(_ o: Int, scale: Double, inSize: Int, outSize: Int) -> Double {
        switch coordinateMode {
        case "asymmetric": return Double(o) / scale
        case "align_corners": return outSize <= 1 ? 0 : Double(o) * Double(inSize - 1) / Double(outSize - 1)
        case "pytorch_half_pixel": return outSize > 1 ? (Double(o) + 0.5) / scale - 0.5 : 0
        default: return (Double(o) + 0.5) / scale - 0.5
        }
    }

    private func nearest(_ x: Double, inSize: Int) -> Int {
        var i: Double
        switch nearestMode {
        case "floor": i = x.rounded(.down)
        case "ceil": i = x.rounded(.up)
        case "round_prefer_ceil": i = (x - x.rounded(.down)) == 0.5 ? x.rounded(.up) : x.rounded()
        default: i = (x - x.rounded(.down)) == 0.5 ? x.rounded(.down) : x.rounded()
        }
        return Swift.min(Swift.max(Int(i), 0), inSize - 1)
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let specs = inputs.map { $0.map { ValueSpec(known: $0) } }
        let (outShape, scales) = try plan(specs, shape: x.shape)
        let rank = x.rank
        if y.count == 0 { return }
        let xStrides = contiguousStrides(x.shape)
        // Per axis and output coordinate: (low offset, high offset, weight of high).
        var tables: [[(Int, Int, Float)]] = []
        for d in 0..<rank {
            let n = x.shape[d]
            tables.append((0..<outShape[d]).map { o in
                if outShape[d] == n && scales[d] == 1 { return (o * xStrides[d], o * xStrides[d], 0) }
                let s = sourceCoordinate(o, scale: scales[d], inSize: n, outSize: outShape[d])
                if mode == "nearest" {
                    let i = nearest(s, inSize: n) * xStrides[d]
                    return (i, i, 0)
                }
                let clamped = Swift.min(Swift.max(s, 0), Double(n - 1))
                let lo = Int(clamped.rounded(.down)), hi = Swift.min(lo + 1, n - 1)
                return (lo * xStrides[d], hi * xStrides[d], Float(clamped - Double(lo)))
            })
        }
        let interpolated = (0..<rank).filter { d in tables[d].contains { $0.2 != 0 } }
        let xp = x.pointer(Float.self), yp = y.pointer(Float.self)
        var index = [Int](repeating: 0, count: rank)
        for out in 0..<y.count {
            var base = 0
            for d in 0..<rank { base += tables[d][index[d]].0 }
            var value = xp[base]
            if !interpolated.isEmpty {
                // Multilinear: sum over the 2^k corners of the interpolated axes.
                value = 0
                for corner in 0..<(1 << interpolated.count) {
                    var offset = base, weight: Float = 1
                    for (bit, d) in interpolated.enumerated() {
                        let t = tables[d][index[d]]
                        if corner & (1 << bit) != 0 { offset += t.1 - t.0; weight *= t.2 } else { weight *= 1 - t.2 }
                    }
                    if weight != 0 { value += weight * xp[offset] }
                }
            }
            yp[out] = value
            var d = rank - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < outShape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
    }
}
