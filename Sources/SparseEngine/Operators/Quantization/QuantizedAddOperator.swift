/// The quantized `Add` that `QDQFusion` makes of `DequantizeLinear(a)`, `DequantizeLinear(b)` → `Add` [→ `Relu`] →
/// `QuantizeLinear` (ResNet's residual connections): inputs a, a_scale, a_zero_point, b, b_scale, b_zero_point,
/// y_scale, y_zero_point, all scales and zero points per tensor. One pass over the 8-bit tensors computes what the
/// float operators compute, bit for bit (`qs8_vadd`), instead of three passes through float tensors. A fused Relu
/// (`zoo.activation`) saturates the output at its zero point.
struct QuantizedAddOperator: Operator {
    /// Marks an `Add` node as this operator.
    static let attribute = "zoo.qlinear"

    let c: OpContext
    let relu: Bool

    init(_ c: OpContext) throws {
        self.c = c
        relu = try FusedActivation(c) == .relu
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let a = try c.required(inputs, 0), b = try c.required(inputs, 3), yZero = try c.required(inputs, 7, "y_zero_point")
        for (spec, what) in [(a, "A"), (b, "B"), (yZero, "y_zero_point")] { try c.check(spec.dataType, in: [.uint8, .int8], what) }
        guard let shape = broadcastShapes([a.shape, b.shape]) else {
            throw c.error(.shapeMismatch, "shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        return [ValueSpec(yZero.dataType, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let a = inputs[0]!, b = inputs[3]!, y = outputs[0]
        func scalar(_ i: Int) throws -> Float { Float(try inputs[i]!.doubleValues()[0]) }
        let aScale = try scalar(1), aZero = Int32(try scalar(2)), bScale = try scalar(4), bZero = Int32(try scalar(5))
        let yScale = try scalar(6), yZero = Int32(try scalar(7))
        var (lo, hi): (Int32, Int32) = y.dataType == .int8 ? (-128, 127) : (0, 255)
        if relu { lo = max(lo, yZero) }
        let ap = a.rawPointer.assumingMemoryBound(to: UInt8.self), bp = b.rawPointer.assumingMemoryBound(to: UInt8.self)
        let yp = y.rawPointer.assumingMemoryBound(to: UInt8.self)
        let aSigned = a.dataType == .int8, bSigned = b.dataType == .int8
        if a.shape == b.shape {
            let kernels = context.kernels.qs8, count = y.count, chunk = 16_384
            context.pool.parallelFor((count + chunk - 1) / chunk) { i, _ in
                let start = i * chunk
                kernels.add(min(chunk, count - start), ap + start, aSigned, aScale, aZero, bp + start, bSigned, bScale, bZero,
                            yScale, yZero, lo, hi, yp + start)
            }
            return
        }
        func value(_ p: UnsafeMutablePointer<UInt8>, _ i: Int, _ signed: Bool) -> Int32 { signed ? Int32(Int8(bitPattern: p[i])) : Int32(p[i]) }
        let loop = BroadcastLoop(outShape: y.shape, inputs: [a.shape, b.shape])
        let inner = loop.inner, sa = loop.innerStride(0), sb = loop.innerStride(1)
        loop.forEachRow { out, offsets in
            for j in 0..<inner {
                let fa = Float(value(ap, offsets[0] + j * sa, aSigned) - aZero) * aScale
                let fb = Float(value(bp, offsets[1] + j * sb, bSigned) - bZero) * bScale
                let v = Swift.min(Swift.max(((fa + fb) / yScale).rounded(.toNearestOrEven) + Float(yZero), Float(lo)), Float(hi))
                yp[out + j] = UInt8(truncatingIfNeeded: Int32(v))
            }
        }
    }
}
