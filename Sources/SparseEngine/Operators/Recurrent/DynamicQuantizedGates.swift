import Foundation

/// The weights of ONNX Runtime's `com.microsoft.DynamicQuantizeLSTM` (what its dynamic quantizer writes for an
/// `LSTM`), and how it rounds the activations that meet them.
///
/// W is int8 or uint8 `[directions, input, 4 · hidden]` and R `[directions, hidden, 4 · hidden]` (transposed from
/// `LSTM`'s), each with a float scale and a zero point of W's type per direction (`[directions]`) or per gate row
/// (`[directions, 4 · hidden]`), inputs #8–#11. ONNX Runtime quantizes each GEMM's float operand to uint8 over its own
/// range before multiplying: all of X for the input projection, and for each step the hidden states of the items one
/// of its threads takes (so its results depend on its thread count when the batch has more than one item; one item
/// per thread is what it does for small batches, and what the engine reproduces). `roundThroughUInt8` does the same to
/// the floats, so the products match its integer GEMMs.
enum DynamicQuantizedGates {
    /// Input positions of W's and R's scales and zero points.
    static let scaleInputs = (w: 8, wZeroPoint: 9, r: 10, rZeroPoint: 11)

    /// Checks the quantized W and R with their scales and zero points, and returns `inputs` with W and R as the float
    /// specs `LSTM` takes.
    static func lstmInputs(_ inputs: [ValueSpec?], _ c: OpContext, directions: Int) throws -> [ValueSpec?] {
        var lstm = inputs
        for (index, scaleIndex, name) in [(1, scaleInputs.w, "W"), (2, scaleInputs.r, "R")] {
            let weight = try c.required(inputs, index, name)
            try c.check(weight.dataType, in: [.int8, .uint8], name)
            guard weight.shape.count == 3, weight.shape[0] == directions, weight.shape[2] % 4 == 0 else {
                throw c.error(.shapeMismatch, "\(name) must be [\(directions), rows, 4 · hidden], got \(weight.shape)")
            }
            let scale = try c.required(inputs, scaleIndex, "\(name)_scale"), zeroPoint = try c.required(inputs, scaleIndex + 1, "\(name)_zero_point")
            try c.check(scale.dataType, in: floatTypes, "\(name)_scale")
            try c.check(zeroPoint.dataType, in: [weight.dataType], "\(name)_zero_point")
            guard [[directions], [directions, weight.shape[2]]].contains(scale.shape), zeroPoint.shape == scale.shape else {
                throw c.error(.shapeMismatch, "\(name)_scale and \(name)_zero_point must both be [\(directions)] or [\(directions), \(weight.shape[2])], got \(scale.shape) and \(zeroPoint.shape)")
            }
            lstm[index] = ValueSpec(.float, [directions, weight.shape[2], weight.shape[1]])
        }
        return lstm
    }

    /// `weight` `[directions, rows, columns]` as float `[directions, columns, rows]`: `(q - zeroPoint) · scale`, with
    /// one scale per direction or per column.
    static func dequantized(_ weight: Tensor, scale: Tensor, zeroPoint: Tensor) throws -> Tensor {
        let (directions, rows, columns) = (weight.shape[0], weight.shape[1], weight.shape[2])
        let values = try weight.doubleValues(), scales = try scale.doubleValues(), zeroPoints = try zeroPoint.doubleValues()
        let perColumn = scale.rank == 2
        let result = try Tensor(zeros: .float, shape: [directions, columns, rows])
        let out = result.pointer(Float.self)
        for d in 0..<directions {
            for row in 0..<rows {
                for column in 0..<columns {
                    let q = d * (perColumn ? columns : 1) + (perColumn ? column : 0)
                    let value = (values[(d * rows + row) * columns + column] - zeroPoints[q]) * scales[q]
                    out[(d * columns + column) * rows + row] = Float(value)
                }
            }
        }
        return result
    }

    /// Replaces each value by its uint8 quantization over the values' range (widened to hold 0), dequantized, as
    /// ONNX Runtime quantizes a GEMM operand: scale `(max − min) / 255` (1 when the range is empty), zero point
    /// `−min / scale` rounded half to even.
    static func roundThroughUInt8<Values: MutableCollection>(_ values: inout Values) where Values.Element == Float {
        let low = min(values.min() ?? 0, 0), high = max(values.max() ?? 0, 0)
        let scale: Float = high == low ? 1 : (high - low) / 255
        let zeroPoint = min(max(0 - low / scale, 0), 255).rounded(.toNearestOrEven)
        for i in values.indices {
            let q = min(max((values[i] / scale).rounded(.toNearestOrEven) + zeroPoint, 0), 255)
            values[i] = (q - zeroPoint) * scale
        }
    }
}
