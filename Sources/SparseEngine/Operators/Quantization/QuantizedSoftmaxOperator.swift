import Foundation

/// `zoo.QLinearSoftmax(x, x_scale, x_zero_point, y_scale, y_zero_point)`: the form `QDQSoftmaxFusion` gives to
/// `DequantizeLinear` → `Softmax` → `QuantizeLinear`, computed as ONNX Runtime computes that group (its graph
/// optimizer makes it a `com.microsoft.QLinearSoftmax`), not as the float operators would:
///
/// - e^x comes from a table of 256 floats, `table[i] = Float(exp((i − 255 + shift) · x_scale))` in double, with
///   `shift = max(0, log(Float.max / D) − 5) / x_scale` (D the length of the normalized axis), indexed by
///   `x − max(x) + 255` for uint8 (`x − max(x) + 127`, as a byte, for int8);
/// - the row's sum of table values is accumulated in float, in order;
/// - `y = round_half_even(e · ⌊1 / y_scale⌋ / sum) + y_zero_point`, saturated. The output scale enters as
///   ⌊1 / y_scale⌋: 254 for the quantizer's 1/255, so outputs are 254/255 of the float operators' (one step lower
///   on about 0.5% of DistilBERT's attention weights), and later layers amplify that.
///
/// Attributes: `axis` and `opset` (the model's, which gives the axis its pre-13 flattening meaning).
struct QuantizedSoftmaxOperator: Operator {
    /// The op type, in the engine's own domain (`OperatorRegistry.internalDomain`).
    static let opType = "QLinearSoftmax"

    let c: OpContext
    let axis: Int
    let opset: Int

    init(_ c: OpContext) throws {
        self.c = c
        opset = try c.int("opset", 13)
        axis = try c.int("axis", opset >= 13 ? -1 : 1)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0), yZero = try c.required(inputs, 4, "y_zero_point")
        try c.check(x.dataType, in: [.uint8, .int8])
        guard yZero.dataType == x.dataType else { throw c.error(.unsupportedDataType, "x is \(x.dataType), y_zero_point \(yZero.dataType)") }
        _ = try c.axis(axis, rank: max(x.shape.count, 1))
        return [ValueSpec(x.dataType, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let shape = x.shape.isEmpty ? [1] : x.shape
        let a = try c.axis(axis, rank: shape.count)
        let outer = shape[..<a].reduce(1, *)
        let (n, inner) = opset >= 13 ? (shape[a], shape[(a + 1)...].reduce(1, *)) : (shape[a...].reduce(1, *), 1)
        guard n > 0 else { return }
        let xScale = inputs[1]!.pointer(Float.self)[0], yScale = inputs[3]!.pointer(Float.self)[0]
        let yZero = Int32(try inputs[4]!.doubleValues()[0])
        let signed = x.dataType == .int8, table = Self.table(xScale: xScale, length: n, signed: signed)
        let multiplier = (1 / yScale).rounded(.down)
        let (lo, hi): (Int32, Int32) = signed ? (-128, 127) : (0, 255)
        let xp = x.rawPointer.assumingMemoryBound(to: UInt8.self), yp = y.rawPointer.assumingMemoryBound(to: UInt8.self)
        if inner == 1 {
            // Contiguous rows (the normalized axis last): the vector kernel, rows in chunks.
            let softmax = context.kernels.qs8.softmax, rowsPerTask = max(1, 4096 / n), tasks = (outer + rowsPerTask - 1) / rowsPerTask
            table.withUnsafeBufferPointer { t in
                context.pool.parallelFor(tasks) { task, _ in
                    let first = task * rowsPerTask, rows = min(rowsPerTask, outer - first)
                    softmax(rows, n, xp + first * n, signed, t.baseAddress!, multiplier, yZero, lo, hi, yp + first * n)
                }
            }
            return
        }
        context.pool.parallelFor(outer * inner) { task, _ in
            let base = (task / inner) * n * inner + task % inner
            func value(_ j: Int) -> Int { signed ? Int(Int8(bitPattern: xp[base + j * inner])) : Int(xp[base + j * inner]) }
            var top = value(0)
            for j in 1..<n { top = max(top, value(j)) }
            // The table index of x: x − max + 255, which for int8 is the byte x − max + 127.
            func e(_ j: Int) -> Float { table[signed ? Int(UInt8(truncatingIfNeeded: value(j) - top + 127)) : value(j) - top + 255] }
            var sum: Float = 0
            for j in 0..<n { sum += e(j) }
            for j in 0..<n {
                let q = sum == 0 ? yZero : Int32((e(j) * multiplier / sum).rounded(.toNearestOrEven)) + yZero
                yp[base + j * inner] = UInt8(truncatingIfNeeded: min(max(q, lo), hi))
            }
        }
    }

    /// ONNX Runtime's table of scaled exponentials, by input byte (for int8, the byte of i − 128).
    static func table(xScale: Float, length: Int, signed: Bool) -> [Float] {
        let shift = max(0, log(Double(Float.greatestFiniteMagnitude / Float(length))) - 5) / Double(xScale)
        var table = [Float](repeating: 0, count: 256)
        for i in 0..<256 {
            table[signed ? Int(UInt8(truncatingIfNeeded: i - 128)) : i] = Float(exp((Double(i) - 255 + shift) * Double(xScale)))
        }
        return table
    }
}
