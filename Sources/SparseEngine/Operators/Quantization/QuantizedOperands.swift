/// The quantization parameters of a `QLinearConv`/`QLinearMatMul` (inputs x, x_scale, x_zero_point, w, w_scale,
/// w_zero_point, y_scale, y_zero_point[, bias]) or `ConvInteger`/`MatMulInteger` (x, w[, x_zero_point,
/// w_zero_point]) node, read at run time, and the `QS8Layer` they make with packed weights.
struct QuantizedOperands {
    let x: Tensor
    let w: Tensor
    let inputZero: [Int]
    let weightZero: [Int]
    /// Scales and zero point of the output, for the QLinear forms.
    let output: (xScale: Float, wScale: [Float], yScale: Float, yZero: Int, yType: DataType)?
    let bias: [Int32]?

    init(_ kind: OpKind, _ inputs: [Tensor?], outputType: DataType) throws {
        func ints(_ i: Int) throws -> [Int]? { try i < inputs.count ? inputs[i]?.doubleValues().map { Int($0) } : nil }
        if kind == .qLinearConv || kind == .qLinearMatMul {
            x = inputs[0]!
            w = inputs[3]!
            inputZero = try ints(2) ?? [0]
            weightZero = try ints(5) ?? [0]
            let wScale = inputs[4]!.buffer(Float.self).map { $0 }
            output = (inputs[1]!.pointer(Float.self)[0], wScale, inputs[6]!.pointer(Float.self)[0], try ints(7)?.first ?? 0, outputType)
            bias = inputs.count > 8 ? inputs[8]?.buffer(Int32.self).map { $0 } : nil
        } else {
            x = inputs[0]!
            w = inputs[1]!
            inputZero = try ints(2) ?? [0]
            weightZero = try ints(3) ?? [0]
            output = nil
            bias = nil
        }
    }

    /// A weight element as an integer.
    func weight(_ index: Int) -> Int {
        w.dataType == .int8 ? Int(w.pointer(Int8.self)[index]) : Int(w.pointer(UInt8.self)[index])
    }

    /// The layer for `rows` output channels, or nil when the kernels cannot run it (a per-row input zero point,
    /// weights that do not fit in int8 less their zero point).
    func layer(rows: Int, packed: QS8Weights?, relu: Bool) -> QS8Layer? {
        guard inputZero.count == 1, let packed else { return nil }
        var requantization: QS8Layer.Requantization?
        if let q = output {
            let range: ClosedRange<Int32> = q.yType == .int8 ? -128...127 : 0...255
            let padded = packed.tiles * 8
            let scale = (0..<padded).map { row -> Float in
                let ws = q.wScale.count == 1 ? q.wScale[0] : row < q.wScale.count ? q.wScale[row] : 0
                return q.xScale * ws / q.yScale
            }
            let zero = Int32(q.yZero)
            requantization = .init(scale: scale, zeroPoint: zero, low: relu ? max(range.lowerBound, zero) : range.lowerBound, high: range.upperBound)
        }
        return QS8Layer(weights: packed, inputType: x.dataType, inputZero: inputZero[0], bias: bias, requantization: requantization)
    }
}

/// Applies a fused Relu to a reference operator's quantized output: every value below the zero point is raised to it.
func clampToZeroPoint(_ y: Tensor, zeroPoint: Int) {
    if y.dataType == .int8 {
        let p = y.pointer(Int8.self), z = Int8(zeroPoint)
        for i in 0..<y.count { p[i] = max(p[i], z) }
    } else {
        let p = y.pointer(UInt8.self), z = UInt8(zeroPoint)
        for i in 0..<y.count { p[i] = max(p[i], z) }
    }
}
