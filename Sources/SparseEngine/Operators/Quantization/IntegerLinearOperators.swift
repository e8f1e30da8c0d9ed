/// `MatMulInteger`, `ConvInteger`, `QLinearMatMul` and `QLinearConv`: 8-bit inputs less their
/// zero points, multiplied and accumulated exactly in integers (int32 results); the QLinear forms
/// then rescale by `a_scale · b_scale / y_scale` (per output channel for QLinearConv weights),
/// add the zero point and saturate. A reference implementation: exact, not tuned for speed.
struct IntegerLinearOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let attributes: ConvGeometry.Attributes
    let group: Int

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        attributes = try ConvGeometry.Attributes(c)
        group = try c.int("group", 1)
    }

    private var isConv: Bool { kind == .convInteger || kind == .qLinearConv }
    private var isQLinear: Bool { kind == .qLinearMatMul || kind == .qLinearConv }
    /// Input positions of A, its zero point, B, its zero point (and for QLinear: the scales and y).
    private var slots: (a: Int, aZero: Int, b: Int, bZero: Int) { isQLinear ? (0, 2, 3, 5) : (0, 2, 1, 3) }

    private func window(_ x: [Int], _ w: [Int]) throws -> SpatialWindow {
        guard x.count >= 3, w.count == x.count else { throw c.error(.shapeMismatch, "input \(x) and weight \(w) must both be [N, C, spatial…]") }
        return try SpatialWindow(spatial: Array(x[2...]), kernel: Array(w[2...]), attributes: attributes, c: c)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let a = try c.required(inputs, slots.a), b = try c.required(inputs, slots.b)
        try c.check(a.dataType, in: [.uint8, .int8]); try c.check(b.dataType, in: [.uint8, .int8], "B")
        let type = isQLinear ? try c.required(inputs, 7, "y_zero_point").dataType : .int32
        if isConv {
            let w = try window(a.shape, b.shape)
            guard a.shape[1] == b.shape[1] * group, b.shape[0] % group == 0 else {
                throw c.error(.shapeMismatch, "input \(a.shape) and weight \(b.shape) do not match with group \(group)")
            }
            return [ValueSpec(type, [a.shape[0], b.shape[0]] + w.output)]
        }
        return [ValueSpec(type, try matMulShape(a.shape, b.shape, c))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let aT = inputs[slots.a]!, bT = inputs[slots.b]!
        func optional(_ i: Int) throws -> [Int]? { try inputs.count > i ? inputs[i]?.doubleValues().map { Int($0) } : nil }
        let a = try aT.doubleValues().map { Int($0) }, b = try bT.doubleValues().map { Int($0) }
        let aZero = try optional(slots.aZero) ?? [0], bZero = try optional(slots.bZero) ?? [0]
        var sums: [Int]
        var channelOf: (Int) -> Int
        if isConv {
            let w = try window(aT.shape, bT.shape)
            (sums, channelOf) = convolve(a, aT.shape, b, bT.shape, aZero: aZero[0], bZero: bZero, w)
        } else {
            (sums, channelOf) = multiply(a, aT.shape, b, bT.shape, aZero: aZero, bZero: bZero)
        }
        guard isQLinear else {
            try writeDoubles(sums.map { Double(Int32(truncatingIfNeeded: $0)) }, to: outputs[0])
            return
        }
        let aScale = Double(inputs[1]!.pointer(Float.self)[0]), bScales = try inputs[4]!.doubleValues()
        let yScale = Double(inputs[6]!.pointer(Float.self)[0]), yZero = try inputs[7]!.doubleValues()[0]
        let bias = try inputs.count > 8 ? inputs[8]?.doubleValues() : nil
        let y = outputs[0]
        let result = sums.indices.map { i -> Double in
            let channel = channelOf(i)
            let acc = Double(sums[i]) + (bias?[channel] ?? 0)
            let scale = Double(Float(aScale) * Float(bScales.count == 1 ? bScales[0] : bScales[channel]) / Float(yScale))
            return AffineQuantization.quantize(acc * scale, scale: 1, zeroPoint: yZero, into: y.dataType)
        }
        try writeDoubles(result, to: y)
    }

    /// Batched (A − a_zero)·(B − b_zero); a_zero may be per row of A, b_zero per column of B.
    private func multiply(_ a: [Int], _ sa: [Int], _ b: [Int], _ sb: [Int], aZero: [Int], bZero: [Int]) -> ([Int], (Int) -> Int) {
        let m = sa.count == 1 ? 1 : sa[sa.count - 2], k = sa[sa.count - 1], n = sb.count == 1 ? 1 : sb[sb.count - 1]
        let pairs = matMulBatchPairs(sa, sb)
        var out = [Int](repeating: 0, count: pairs.count * m * n)
        for (p, (ia, ib)) in pairs.enumerated() {
            for i in 0..<m {
                let za = aZero.count == 1 ? aZero[0] : aZero[i]
                for j in 0..<n {
                    let zb = bZero.count == 1 ? bZero[0] : bZero[j]
                    var acc = 0
                    for t in 0..<k { acc += (a[ia * m * k + i * k + t] - za) * (b[ib * k * n + t * n + j] - zb) }
                    out[(p * m + i) * n + j] = acc
                }
            }
        }
        return (out, { $0 % n })
    }

    /// Grouped convolution of (x − x_zero) with (w − w_zero[output channel]).
    private func convolve(_ x: [Int], _ sx: [Int], _ w: [Int], _ sw: [Int], aZero: Int, bZero: [Int], _ window: SpatialWindow) -> ([Int], (Int) -> Int) {
        let table = window.sourceTable()
        let n = sx[0], channels = sx[1], m = sw[0], cg = sw[1], mg = m / group
        let inPlane = window.inputCount, plane = window.outputCount, kernel = window.kernelCount
        var out = [Int](repeating: 0, count: n * m * plane)
        for img in 0..<n {
            for oc in 0..<m {
                let g = oc / mg, zw = bZero.count == 1 ? bZero[0] : bZero[oc]
                for p in 0..<plane {
                    var acc = 0
                    for ic in 0..<cg {
                        let source = (img * channels + g * cg + ic) * inPlane
                        for k in 0..<kernel where table[k][p] >= 0 {
                            acc += (x[source + table[k][p]] - aZero) * (w[(oc * cg + ic) * kernel + k] - zw)
                        }
                    }
                    out[(img * m + oc) * plane + p] = acc
                }
            }
        }
        return (out, { ($0 / plane) % m })
    }
}
