/// `zoo.QLinearBatchMatMul(a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point)`, per-tensor
/// parameters: the form `QDQFusion` gives to `DequantizeLinear(a)`, `DequantizeLinear(b)` → `MatMul` →
/// `QuantizeLinear` when both operands are activations (attention's Q·Kᵀ and weights·V), computed as ONNX Runtime's
/// `QLinearMatMul`: the exact integer sums of (a − a_zero)·(b − b_zero), then
/// `round_half_even(sum · (a_scale · b_scale / y_scale)) + y_zero_point`, saturated. The float operators would round
/// each product and partial sum instead, and flip an output step now and then.
///
/// The sums are computed by the float (batched) GEMM on the operands less their zero points: exact while every
/// partial sum stays below 2²⁴, i.e. K · max|a − a_zero| · max|b − b_zero| < 2²⁴ (K ≤ 258 always qualifies);
/// longer products run on the integer reference operator.
struct QuantizedBatchMatMulOperator: Operator {
    /// The op type, in the engine's own domain (`OperatorRegistry.internalDomain`).
    static let opType = "QLinearBatchMatMul"

    let c: OpContext
    let reference: IntegerLinearOperator
    let product: MatMulOperator

    init(_ c: OpContext) throws {
        self.c = c
        reference = try IntegerLinearOperator(.qLinearMatMul, c)
        product = try MatMulOperator(c)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] { try reference.inferOutputs(inputs) }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let a = inputs[0]!, b = inputs[3]!, y = outputs[0]
        let aZero = Int(try inputs[2]!.doubleValues()[0]), bZero = Int(try inputs[5]!.doubleValues()[0])
        let (af, aMax) = try centered(a, aZero), (bf, bMax) = try centered(b, bZero)
        guard a.shape.last! * aMax * bMax < 1 << 24 else { return try reference.run(inputs, outputs, context) }
        let sums = try Tensor(zeros: .float, shape: y.shape)
        try product.run([af, bf], [sums], context)
        let scale = inputs[1]!.pointer(Float.self)[0] * inputs[4]!.pointer(Float.self)[0] / inputs[6]!.pointer(Float.self)[0]
        let yZero = Float(try inputs[7]!.doubleValues()[0])
        let (lo, hi): (Float, Float) = y.dataType == .int8 ? (-128, 127) : (0, 255)
        let sp = sums.pointer(Float.self), yp = y.rawPointer.assumingMemoryBound(to: UInt8.self)
        for i in 0..<y.count {
            let v = min(max((sp[i] * scale).rounded(.toNearestOrEven) + yZero, lo), hi)
            yp[i] = UInt8(truncatingIfNeeded: Int32(v))
        }
    }

    /// The 8-bit tensor less its zero point, as floats, and the largest magnitude among them.
    private func centered(_ t: Tensor, _ zero: Int) throws -> (Tensor, Int) {
        let out = try Tensor(zeros: .float, shape: t.shape), p = out.pointer(Float.self)
        let bytes = t.rawPointer.assumingMemoryBound(to: UInt8.self), signed = t.dataType == .int8
        var largest = 0
        for i in 0..<t.count {
            let v = (signed ? Int(Int8(bitPattern: bytes[i])) : Int(bytes[i])) - zero
            largest = max(largest, abs(v))
            p[i] = Float(v)
        }
        return (out, largest)
    }
}
