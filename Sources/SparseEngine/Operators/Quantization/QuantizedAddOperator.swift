/// The quantized `Add` that `QDQFusion` makes of `DequantizeLinear(a)`, `DequantizeLinear(b)` → `Add` [→ `Relu`] →
/// `QuantizeLinear` (ResNet's residual connections): inputs a, a_scale, a_zero_point, b, b_scale, b_zero_point,
/// y_scale, y_zero_point, all scales and zero points per tensor. One pass over the 8-bit tensors (row by row where an
/// operand is broadcast) computes what ONNX Runtime's `QLinearAdd` computes for the group, bit for bit (`qs8_vadd`),
/// instead of three passes through float tensors. A fused Relu (`zoo.activation`) saturates the output at its zero point.
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
        let kernels = context.kernels.qs8
        let loop = BroadcastLoop(outShape: y.shape, inputs: [a.shape, b.shape])
        let inner = loop.inner, sa = loop.innerStride(0), sb = loop.innerStride(1)
        if [0, 1].contains(sa), [0, 1].contains(sb), sa + sb > 0 {
            // Rows of the broadcast (a bias over tokens, a mask over heads), cut into chunks of about `chunk` bytes:
            // long rows into pieces, short rows in runs (a task per 128-byte row of attention scores made the second
            // thread slower than none). An operand repeated along the row (stride 0) is spread into a scratch row first.
            var rows: [(out: Int, a: Int, b: Int)] = []
            loop.forEachRow { out, offsets in rows.append((out, offsets[0], offsets[1])) }
            let chunk = 16_384, chunksPerRow = (inner + chunk - 1) / chunk, rowsPerTask = max(1, chunk / max(1, inner))
            let tasks = (rows.count + rowsPerTask - 1) / rowsPerTask * chunksPerRow
            rows.withUnsafeBufferPointer { rows in
                context.pool.parallelFor(tasks) { task, thread in
                    let firstRow = task / chunksPerRow * rowsPerTask, start = (task % chunksPerRow) * chunk, count = min(chunk, inner - start)
                    let spread = UnsafeMutableRawPointer(context.scratchFloats(thread: thread, (count + 3) / 4)).assumingMemoryBound(to: UInt8.self)
                    func operand(_ p: UnsafeMutablePointer<UInt8>, _ offset: Int, _ stride: Int) -> UnsafePointer<UInt8> {
                        if stride == 1 { return UnsafePointer(p + offset + start) }
                        spread.initialize(repeating: p[offset], count: count)
                        return UnsafePointer(spread)
                    }
                    for row in rows[firstRow..<min(rows.count, firstRow + rowsPerTask)] {
                        kernels.add(count, operand(ap, row.a, sa), aSigned, aScale, aZero, operand(bp, row.b, sb), bSigned, bScale, bZero,
                                    yScale, yZero, lo, hi, yp + row.out + start)
                    }
                }
            }
            return
        }
        loop.forEachRow { out, offsets in
            for j in 0..<inner {
                kernels.add(1, ap + offsets[0] + j * sa, aSigned, aScale, aZero, bp + offsets[1] + j * sb, bSigned, bScale, bZero,
                            yScale, yZero, lo, hi, yp + out + j)
            }
        }
    }
}
