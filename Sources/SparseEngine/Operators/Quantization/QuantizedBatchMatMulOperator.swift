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
        let a = inputs[0]!, b = inputs[3]!, y = outputs[0], kernels = context.kernels.qs8
        let aZero = Int(try inputs[2]!.doubleValues()[0]), bZero = Int(try inputs[5]!.doubleValues()[0])
        guard a.shape.last! * magnitude(a, aZero) * magnitude(b, bZero) < 1 << 24 else { return try reference.run(inputs, outputs, context) }
        // The centred operands and the sums live in the context's scratch, not in tensors allocated and zeroed per run.
        let operands = context.sharedFloats(.first, a.count + b.count)
        let af = centered(a, aZero, into: operands, kernels, context.pool), bf = centered(b, bZero, into: operands + a.count, kernels, context.pool)
        let sums = borrowedFloats(context.sharedFloats(.second, y.count), shape: y.shape)
        try product.run([af, bf], [sums], context)
        let scale = inputs[1]!.pointer(Float.self)[0] * inputs[4]!.pointer(Float.self)[0] / inputs[6]!.pointer(Float.self)[0]
        let yZero = Int32(try inputs[7]!.doubleValues()[0])
        let (lo, hi): (Int32, Int32) = y.dataType == .int8 ? (-128, 127) : (0, 255)
        let sp = sums.pointer(Float.self), yp = y.rawPointer.assumingMemoryBound(to: UInt8.self)
        context.pool.parallelFor((y.count + Self.chunk - 1) / Self.chunk) { i, _ in
            kernels.requantizeFloats(min(Self.chunk, y.count - i * Self.chunk), sp + i * Self.chunk, scale, yZero, lo, hi, yp + i * Self.chunk)
        }
    }

    /// Elements per task of the elementwise passes.
    private static let chunk = 16_384

    /// The largest |x − zero| over the 8-bit tensor.
    private func magnitude(_ t: Tensor, _ zero: Int) -> Int {
        let bytes = UnsafeBufferPointer(start: t.rawPointer.assumingMemoryBound(to: UInt8.self), count: t.count)
        guard t.count > 0 else { return 0 }
        if t.dataType == .int8 {
            var low: Int8 = .max, high: Int8 = .min
            for byte in bytes { let v = Int8(bitPattern: byte); low = min(low, v); high = max(high, v) }
            return max(abs(Int(low) - zero), abs(Int(high) - zero))
        }
        var low: UInt8 = .max, high: UInt8 = .min
        for byte in bytes { low = min(low, byte); high = max(high, byte) }
        return max(abs(Int(low) - zero), abs(Int(high) - zero))
    }

    /// The 8-bit tensor less its zero point, as (exact) floats written to `buffer`.
    private func centered(_ t: Tensor, _ zero: Int, into buffer: UnsafeMutablePointer<Float>, _ kernels: QS8KernelSet,
                          _ pool: ThreadPool) -> Tensor {
        let signed = t.dataType == .int8, xp = t.rawPointer.assumingMemoryBound(to: UInt8.self)
        pool.parallelFor((t.count + Self.chunk - 1) / Self.chunk) { i, _ in
            kernels.dequantize(min(Self.chunk, t.count - i * Self.chunk), xp + i * Self.chunk, signed, 1, Int32(zero), buffer + i * Self.chunk)
        }
        return borrowedFloats(buffer, shape: t.shape)
    }

    /// A float tensor of `shape` over scratch memory it does not own.
    private func borrowedFloats(_ buffer: UnsafeMutablePointer<Float>, shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(dataType: .float, shape: shape, storage: TensorStorage(borrowing: buffer, byteCount: count * 4, owner: nil))
    }
}
