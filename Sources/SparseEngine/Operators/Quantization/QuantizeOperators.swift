/// Affine 8-bit quantization: `q = saturate(round_half_even(x / scale) + zero_point)` and back,
/// `x = (q − zero_point) · scale`.
enum AffineQuantization {
    /// The representable range of an 8-bit (or int32) quantized type.
    static func range(_ type: DataType) -> ClosedRange<Double> {
        switch type {
        case .int8: return -128...127
        case .uint8: return 0...255
        default: return Double(Int32.min)...Double(Int32.max)
        }
    }

    /// The division is done in float, as the ONNX reference does, so ties round alike.
    static func quantize(_ x: Double, scale: Double, zeroPoint: Double, into type: DataType) -> Double {
        let r = range(type)
        let scaled = Double(Float(x) / Float(scale)).rounded(.toNearestOrEven)
        return Swift.min(Swift.max(scaled + zeroPoint, r.lowerBound), r.upperBound)
    }

    /// Per-element scale and zero point: one pair for the whole tensor, or one per index of
    /// `axis` when the parameters are 1-D.
    static func parameters(shape: [Int], axis: Int, scale: [Double], zeroPoint: [Double]?, c: OpContext) throws -> (Int) -> (Double, Double) {
        if scale.count == 1 {
            let z = zeroPoint?.first ?? 0
            return { _ in (scale[0], z) }
        }
        let a = try c.axis(axis, rank: shape.count)
        guard scale.count == shape[a], zeroPoint.map({ $0.count == scale.count }) ?? true else {
            throw c.error(.shapeMismatch, "per-axis scale (\(scale.count)) and zero point must have one entry per index of axis \(a) of \(shape)")
        }
        let inner = shape[(a + 1)...].reduce(1, *), n = shape[a]
        return { i in let k = (i / inner) % n; return (scale[k], zeroPoint?[k] ?? 0) }
    }
}

/// `QuantizeLinear(x, y_scale, y_zero_point?)` to uint8 (the default) or int8, per tensor or per
/// `axis`; and `DequantizeLinear(x, x_scale, x_zero_point?)` from int8, uint8 or int32 to float.
struct QuantizeLinearOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let axis: Int

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        axis = try c.int("axis", 1)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0), scale = try c.required(inputs, 1, "scale")
        let zeroPoint = inputs.count > 2 ? inputs[2] : nil
        try c.check(scale.dataType, in: [.float], "scale")
        if kind == .quantizeLinear {
            try c.check(x.dataType, in: [.float, .int32])
            let type = zeroPoint?.dataType ?? .uint8
            try c.check(type, in: [.uint8, .int8], "zero point")
            return [ValueSpec(type, x.shape)]
        }
        try c.check(x.dataType, in: [.uint8, .int8, .int32])
        return [ValueSpec(.float, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        if try runPerTensor(inputs, outputs, context) { return }
        let x = inputs[0]!, y = outputs[0], values = try x.doubleValues()
        let zeroPoint = try inputs.count > 2 ? inputs[2]?.doubleValues() : nil
        let parameters = try AffineQuantization.parameters(shape: x.shape, axis: axis, scale: inputs[1]!.doubleValues(), zeroPoint: zeroPoint, c: c)
        let result: [Double] = values.indices.map { i in
            let (scale, z) = parameters(i)
            return kind == .quantizeLinear
                ? AffineQuantization.quantize(values[i], scale: scale, zeroPoint: z, into: y.dataType)
                : Double(Float(values[i] - z) * Float(scale))
        }
        try writeDoubles(result, to: y)
    }
}

extension QuantizeLinearOperator {
    /// The common case on the vector kernels: one scale and zero point, float ↔ 8 bits. False when not that case.
    private func runPerTensor(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws -> Bool {
        let x = inputs[0]!, y = outputs[0], scale = inputs[1]!
        let zero = inputs.count > 2 ? inputs[2] : nil
        guard scale.count == 1, zero.map({ $0.count == 1 }) ?? true else { return false }
        let zeroPoint = Int32(try zero?.doubleValues()[0] ?? 0), s = scale.pointer(Float.self)[0]
        let kernels = context.kernels.qs8, count = x.count, chunk = 16_384
        if kind == .quantizeLinear {
            guard x.dataType == .float, [.uint8, .int8].contains(y.dataType) else { return false }
            let (lo, hi): (Int32, Int32) = y.dataType == .int8 ? (-128, 127) : (0, 255)
            let xp = x.pointer(Float.self), yp = y.rawPointer.assumingMemoryBound(to: UInt8.self)
            context.pool.parallelFor((count + chunk - 1) / chunk) { i, _ in
                kernels.quantize(min(chunk, count - i * chunk), xp + i * chunk, s, zeroPoint, lo, hi, yp + i * chunk)
            }
        } else {
            guard [.uint8, .int8].contains(x.dataType), y.dataType == .float else { return false }
            let xp = x.rawPointer.assumingMemoryBound(to: UInt8.self), yp = y.pointer(Float.self), signed = x.dataType == .int8
            context.pool.parallelFor((count + chunk - 1) / chunk) { i, _ in
                kernels.dequantize(min(chunk, count - i * chunk), xp + i * chunk, signed, s, zeroPoint, yp + i * chunk)
            }
        }
        return true
    }
}

/// `DynamicQuantizeLinear(x)`: uint8 `y`, scale and zero point from the range of x widened to
/// include 0: `scale = (max − min) / 255`, `zero_point = saturate(round(−min / scale))`.
struct DynamicQuantizeLinearOperator: Operator {
    let c: OpContext

    init(_ c: OpContext) { self.c = c }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: [.float])
        return [ValueSpec(.uint8, x.shape), ValueSpec(.float, []), ValueSpec(.uint8, [])]
    }

    /// One pass for the range (NaNs ignored), one to quantize on the QuantizeLinear vector kernel, in float as ONNX
    /// Runtime computes it.
    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, count = x.count, values = x.pointer(Float.self), y = outputs[0].pointer(UInt8.self)
        var lo: Float = 0, hi: Float = 0
        for i in 0..<count {
            lo = Swift.min(lo, values[i])
            hi = Swift.max(hi, values[i])
        }
        let scale = (hi - lo) / 255
        let zeroPoint: Float = scale == 0 ? 0 : Swift.min(Swift.max((-lo / scale).rounded(.toNearestOrEven), 0), 255)
        if scale == 0 {
            y.update(repeating: 0, count: count)
        } else {
            // x / scale, clamped, rounded half to even, plus the zero point: the QuantizeLinear vector kernel.
            context.kernels.qs8.quantize(count, values, scale, Int32(zeroPoint), 0, 255, y)
        }
        outputs[1].pointer(Float.self)[0] = scale
        outputs[2].pointer(UInt8.self)[0] = UInt8(zeroPoint)
    }
}
