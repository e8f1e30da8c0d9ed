/// `BatchNormalization`: `y = scale·(x − mean)/√(var + ε) + B` per channel. In inference mode
/// mean and var are the inputs; with `training_mode=1` (opset 14) they are the batch statistics
/// over N and the spatial axes, and the optional outputs are the updated running statistics
/// `input · momentum + batch · (1 − momentum)`.
struct BatchNormOperator: Operator {
    let c: OpContext
    let epsilon: Float
    let training: Bool
    let momentum: Float

    init(_ c: OpContext) throws {
        self.c = c
        epsilon = try c.float("epsilon", 1e-5)
        training = try c.int("training_mode", 0) != 0
        momentum = try c.float("momentum", 0.9)
        if c.opset < 9, try c.int("spatial", 1) == 0 {
            throw c.error(.unsupportedAttribute, "spatial=0 is not supported")
        }
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: floatTypes)
        guard x.shape.count >= 2 else { throw c.error(.shapeMismatch, "input \(x.shape) must be [N, C, …]") }
        for i in 1...4 {
            let p = try c.required(inputs, i)
            guard p.shape == [x.shape[1]] else {
                throw c.error(.shapeMismatch, "parameter #\(i) has shape \(p.shape), expected [\(x.shape[1])]")
            }
        }
        let statistics = ValueSpec(.float, [x.shape[1]])
        return [ValueSpec(.float, x.shape)] + [ValueSpec](repeating: statistics, count: training ? c.node.outputs.count - 1 : 0)
    }

    /// Per-channel (multiplier, offset) such that y = x·a + b.
    static func affine(scale: Tensor, bias: Tensor, mean: Tensor, variance: Tensor, epsilon: Float) -> ([Float], [Float]) {
        let n = scale.count
        var a = [Float](repeating: 0, count: n), b = [Float](repeating: 0, count: n)
        let s = scale.pointer(Float.self), bb = bias.pointer(Float.self), m = mean.pointer(Float.self), v = variance.pointer(Float.self)
        for i in 0..<n {
            a[i] = s[i] / (v[i] + epsilon).squareRoot()
            b[i] = bb[i] - m[i] * a[i]
        }
        return (a, b)
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let channels = x.shape[1], plane = x.shape[2...].reduce(1, *)
        var mean = inputs[3]!, variance = inputs[4]!
        if training {
            (mean, variance) = try batchStatistics(x)
            let rate = momentum
            for (k, (running, batch)) in [(inputs[3]!, mean), (inputs[4]!, variance)].enumerated() where outputs.count > k + 1 {
                let o = outputs[k + 1].pointer(Float.self), r = running.pointer(Float.self), b = batch.pointer(Float.self)
                for ch in 0..<channels { o[ch] = r[ch] * rate + b[ch] * (1 - rate) }
            }
        }
        let (a, b) = Self.affine(scale: inputs[1]!, bias: inputs[2]!, mean: mean, variance: variance, epsilon: epsilon)
        let xp = x.pointer(Float.self), yp = y.pointer(Float.self)
        context.pool.parallelFor(x.shape[0] * channels) { i, _ in
            let ch = i % channels, s = xp + i * plane, d = yp + i * plane
            let ca = a[ch], cb = b[ch]
            for j in 0..<plane { d[j] = s[j] * ca + cb }
        }
    }

    /// Per-channel mean and (population) variance over the batch and spatial axes.
    private func batchStatistics(_ x: Tensor) throws -> (Tensor, Tensor) {
        let n = x.shape[0], channels = x.shape[1], plane = x.shape[2...].reduce(1, *)
        let mean = try Tensor(zeros: .float, shape: [channels]), variance = try Tensor(zeros: .float, shape: [channels])
        let xp = x.pointer(Float.self), count = Double(max(n * plane, 1))
        for ch in 0..<channels {
            var sum = 0.0, squares = 0.0
            for img in 0..<n {
                let s = xp + (img * channels + ch) * plane
                for j in 0..<plane { sum += Double(s[j]) }
            }
            let m = sum / count
            for img in 0..<n {
                let s = xp + (img * channels + ch) * plane
                for j in 0..<plane { let d = Double(s[j]) - m; squares += d * d }
            }
            mean.pointer(Float.self)[ch] = Float(m)
            variance.pointer(Float.self)[ch] = Float(squares / count)
        }
        return (mean, variance)
    }
}

/// `LayerNormalization` (opset 17): normalizes over axes `[axis, rank)`, then scale and bias;
/// optional Mean and InvStdDev outputs.
struct LayerNormOperator: Operator {
    let c: OpContext
    let axis: Int
    let epsilon: Float

    /// Sum in ONNX Runtime's order (`QuantizedLayerNormOrder` marked the node), not in vector lanes.
    let ortOrder: Bool

    init(_ c: OpContext) throws {
        self.c = c
        axis = try c.int("axis", -1)
        epsilon = try c.float("epsilon", 1e-5)
        ortOrder = try c.int(QuantizedLayerNormOrder.attribute, 0) != 0
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0), scale = try c.required(inputs, 1, "Scale")
        try c.check(x.dataType, in: floatTypes)
        let a = try c.axis(axis, rank: x.shape.count)
        let normalized = Array(x.shape[a...])
        guard broadcastShapes([scale.shape, normalized]) == normalized else {
            throw c.error(.shapeMismatch, "Scale shape \(scale.shape) does not broadcast to the normalized shape \(normalized)")
        }
        if inputs.count > 2, let b = inputs[2], broadcastShapes([b.shape, normalized]) != normalized {
            throw c.error(.shapeMismatch, "B shape \(b.shape) does not broadcast to the normalized shape \(normalized)")
        }
        let stats = Array(x.shape[..<a]) + [Int](repeating: 1, count: x.shape.count - a)
        var out = [ValueSpec(.float, x.shape)]
        if c.node.outputs.count > 1 { out.append(ValueSpec(.float, stats)) }
        if c.node.outputs.count > 2 { out.append(ValueSpec(.float, stats)) }
        return out
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let a = try c.axis(axis, rank: x.rank)
        let normalized = Array(x.shape[a...])
        let inner = normalized.reduce(1, *), rows = x.count / max(inner, 1)
        func expand(_ t: Tensor?, _ fill: Float) -> [Float] {
            guard let t else { return [Float](repeating: fill, count: inner) }
            if t.count == inner { return Array(t.buffer(Float.self)) }
            var out = [Float](repeating: 0, count: inner)
            let loop = BroadcastLoop(outShape: normalized, inputs: [t.shape, t.shape])
            out.withUnsafeMutableBufferPointer { o in binaryLoop(loop, t.pointer(Float.self), t.pointer(Float.self), o.baseAddress!) { v, _ in v } }
            return out
        }
        let scale = expand(inputs[1], 1), bias = expand(inputs.count > 2 ? inputs[2] : nil, 0)
        let xp = x.pointer(Float.self), yp = y.pointer(Float.self)
        let meanOut = outputs.count > 1 ? outputs[1].pointer(Float.self) : nil
        let invOut = outputs.count > 2 ? outputs[2].pointer(Float.self) : nil
        let eps = epsilon, ortOrder = self.ortOrder
        // Without the Mean and InvStdDev outputs and ONNX Runtime's order, a row is the ISA's LayerNorm kernel.
        let rowKernel = ortOrder || meanOut != nil || invOut != nil ? nil : context.kernels.layerNorm
        func normalize(row r: Int) {
            let s = xp + r * inner, d = yp + r * inner
            if let rowKernel { return rowKernel(s, d, inner, scale, bias, eps) }
            let (sum, squares) = ortOrder ? sequentialSums(s, inner) : laneSums(s, inner)
            let mean = sum / Float(inner)
            let deviation = (squares / Float(inner) - mean * mean + eps).squareRoot()
            if ortOrder {
                // ONNX Runtime's order of float operations (a division by the deviation), so that a quantized model's
                // values round to the same steps as its.
                for j in 0..<inner { d[j] = (s[j] - mean) / deviation * scale[j] + bias[j] }
            } else {
                let inverse = 1 / deviation
                for j in 0..<inner { d[j] = (s[j] - mean) * inverse * scale[j] + bias[j] }
            }
            meanOut?[r] = mean
            invOut?[r] = 1 / deviation
        }
        context.pool.parallelForRows(rows, rowLength: inner) { normalize(row: $0) }
    }
}

/// The sum and the sum of squares of `count` floats, one element after another (ONNX Runtime's order).
private func sequentialSums(_ x: UnsafePointer<Float>, _ count: Int) -> (Float, Float) {
    var sum: Float = 0, squares: Float = 0
    for j in 0..<count { sum += x[j]; squares += x[j] * x[j] }
    return (sum, squares)
}

/// The sum and the sum of squares of `count` floats in 16 lanes, then across them: no chain of dependent adds.
private func laneSums(_ x: UnsafePointer<Float>, _ count: Int) -> (Float, Float) {
    typealias V = SIMD16<Float>
    var sum = V(), squares = V(), j = 0
    while j + 16 <= count {
        let v = UnsafeRawPointer(x + j).loadUnaligned(as: V.self)
        sum += v
        squares += v * v
        j += 16
    }
    var tailSum: Float = 0, tailSquares: Float = 0
    while j < count {
        tailSum += x[j]
        tailSquares += x[j] * x[j]
        j += 1
    }
    return (sum.sum() + tailSum, squares.sum() + tailSquares)
}
