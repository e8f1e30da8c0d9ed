/// `InstanceNormalization` (per image and channel, over the spatial axes) and
/// `GroupNormalization` (per image and group of `C / num_groups` channels), each followed by a
/// scale and bias per channel (InstanceNormalization, GroupNormalization with [C] parameters) or
/// per group (GroupNormalization-18 with [num_groups] parameters).
struct GroupNormOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let epsilon: Float
    let groups: Int?

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        epsilon = try c.float("epsilon", 1e-5)
        if kind == .groupNormalization {
            guard let g = try c.optionalInt("num_groups"), g > 0 else { throw c.error(.invalidModel, "attribute 'num_groups' must be a positive integer") }
            groups = g
        } else {
            groups = nil
        }
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0), scale = try c.required(inputs, 1, "scale"), bias = try c.required(inputs, 2, "B")
        try c.check(x.dataType, in: floatTypes)
        guard x.shape.count >= 2 else { throw c.error(.shapeMismatch, "input \(x.shape) must be [N, C, …]") }
        let channels = x.shape[1], g = groups ?? channels
        guard channels % g == 0, [channels, g].contains(scale.count), scale.count == bias.count else {
            throw c.error(.shapeMismatch, "scale \(scale.shape) and bias \(bias.shape) must have \(channels) (or \(g) group) entries for \(channels) channels in \(g) groups")
        }
        return [ValueSpec(.float, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let n = x.shape[0], channels = x.shape[1], plane = x.shape[2...].reduce(1, *)
        let g = groups ?? channels, perGroup = channels / g
        let scale = inputs[1]!.pointer(Float.self), bias = inputs[2]!.pointer(Float.self)
        let perChannel = inputs[1]!.count == channels
        let xp = x.pointer(Float.self), yp = y.pointer(Float.self)
        let eps = Double(epsilon)
        context.pool.parallelFor(n * g) { task, _ in
            let count = perGroup * plane
            let s = xp + task * count, d = yp + task * count
            var sum = 0.0
            for i in 0..<count { sum += Double(s[i]) }
            let mean = sum / Double(Swift.max(count, 1))
            var squares = 0.0
            for i in 0..<count { let v = Double(s[i]) - mean; squares += v * v }
            let inv = 1 / (squares / Double(Swift.max(count, 1)) + eps).squareRoot()
            for ch in 0..<perGroup {
                let p = perChannel ? (task % g) * perGroup + ch : task % g
                let a = Double(scale[p]) * inv, b = Double(bias[p]) - mean * a
                for i in (ch * plane)..<((ch + 1) * plane) { d[i] = Float(Double(s[i]) * a + b) }
            }
        }
    }
}

/// `MeanVarianceNormalization`: `(x − mean) / (√(E[x²] − mean²) + 1e-9)` over `axes`
/// (default [0, 2, 3]).
struct MeanVarianceNormOperator: Operator {
    let c: OpContext
    let axes: [Int]

    init(_ c: OpContext) throws {
        self.c = c
        axes = try c.ints("axes") ?? [0, 2, 3]
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: floatTypes)
        _ = try axes.map { try c.axis($0, rank: x.shape.count) }
        return [ValueSpec(.float, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let reduced = Set(try axes.map { try c.axis($0, rank: x.rank) })
        let kept = x.shape.enumerated().map { reduced.contains($0.offset) ? 1 : $0.element }
        let loop = BroadcastLoop(outShape: x.shape, inputs: [x.shape, kept])
        let groups = kept.reduce(1, *), count = Double(x.count / Swift.max(groups, 1))
        let xp = x.pointer(Float.self), yp = y.pointer(Float.self)
        var sums = [Double](repeating: 0, count: groups), squares = sums
        let n = loop.inner, sx = loop.innerStride(0), sg = loop.innerStride(1)
        loop.forEachRow { _, off in
            for i in 0..<n {
                let v = Double(xp[off[0] + i * sx])
                sums[off[1] + i * sg] += v
                squares[off[1] + i * sg] += v * v
            }
        }
        loop.forEachRow { _, off in
            for i in 0..<n {
                let p = off[0] + i * sx, group = off[1] + i * sg
                let mean = sums[group] / count
                let deviation = Swift.max(squares[group] / count - mean * mean, 0).squareRoot()
                yp[p] = Float((Double(xp[p]) - mean) / (deviation + 1e-9))
            }
        }
    }
}
