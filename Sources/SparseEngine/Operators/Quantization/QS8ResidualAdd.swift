import CSparseEngineKernelsINT8

/// A quantized Add that `QDQResidualFusion` moved into the `QLinearConv` producing one of its operands (ResNet's
/// residual connections): the convolution still requantizes to its own output's bytes, then adds the other operand's
/// bytes at the same place as `QuantizedAddOperator` adds them (`qs8_vadd`, bit for bit) and writes the Add's output.
/// The Add's operands follow the convolution's: input #9 the residual, #10 its scale, #11 its zero point, #12 and #13
/// the Add's output scale and zero point; `attribute` says which operand of the Add the convolution was (0: a, 1: b),
/// `reluAttribute` marks the Add's fused Relu.
struct QS8ResidualAdd {
    static let attribute = "zoo.residual_add"
    static let reluAttribute = "zoo.residual_relu"
    /// The input position of the residual; its quantization parameters and the Add's output's follow.
    static let residualInput = 9

    /// The Add's parameters for the epilogue kernels.
    let params: qs8_add_params
    let productType: DataType
    let residualType: DataType
    /// The Add's operands in its order: (scale, zero point) of a and of b.
    let a: (scale: Float, zero: Int32)
    let b: (scale: Float, zero: Int32)
    let output: (scale: Float, zero: Int32)

    /// The Add fused into `c`'s node, with its parameters read from `inputs`, or nil when there is none. `productType` is
    /// the convolution's own output type (its `y_zero_point`'s), `outputType` the Add's.
    init?(_ c: OpContext, _ inputs: [Tensor?], productType: DataType, outputType: DataType) throws {
        guard c.node.attributes[Self.attribute] != nil else { return nil }
        let i = Self.residualInput
        guard inputs.count > i + 4, let residual = inputs[i], let conv6 = inputs[6], let conv7 = inputs[7] else {
            throw c.error(.invalidModel, "a fused residual Add needs inputs #\(i)–#\(i + 4)")
        }
        func scalar(_ t: Tensor?) throws -> Float { Float(try t!.doubleValues()[0]) }
        let product: (scale: Float, zero: Int32) = (try scalar(conv6), Int32(try scalar(conv7)))
        let other: (scale: Float, zero: Int32) = (try scalar(inputs[i + 1]), Int32(try scalar(inputs[i + 2])))
        let productIsB = try c.int(Self.attribute, 0) == 1
        a = productIsB ? other : product
        b = productIsB ? product : other
        output = (try scalar(inputs[i + 3]), Int32(try scalar(inputs[i + 4])))
        self.productType = productType
        residualType = residual.dataType
        var (lo, hi): (Int32, Int32) = outputType == .int8 ? (-128, 127) : (0, 255)
        if try c.int(Self.reluAttribute, 0) != 0 { lo = max(lo, output.zero) }
        var params = qs8_add_params()
        qs8_add_params_init(&params, a.scale, a.zero, b.scale, b.zero, output.scale, output.zero, lo, hi)
        params.product_signed = productType == .int8 ? 1 : 0
        params.residual_signed = residualType == .int8 ? 1 : 0
        params.product_is_b = productIsB ? 1 : 0
        self.params = params
    }

    /// `y[i] = Add(product[i], residual[i])` for `count` bytes (`product` may be `y`), on the elementwise Add kernel.
    func apply(_ count: Int, product: UnsafePointer<UInt8>, residual: UnsafePointer<UInt8>, into y: UnsafeMutablePointer<UInt8>,
               kernels: QS8KernelSet) {
        let productSigned = productType == .int8, residualSigned = residualType == .int8
        if params.product_is_b != 0 {
            kernels.add(count, residual, residualSigned, a.scale, a.zero, product, productSigned, b.scale, b.zero, output.scale, output.zero,
                        params.lo, params.hi, y)
        } else {
            kernels.add(count, product, productSigned, a.scale, a.zero, residual, residualSigned, b.scale, b.zero, output.scale, output.zero,
                        params.lo, params.hi, y)
        }
    }

    /// The whole output: `y = Add(product, residual)` over tensors of one shape, in parallel chunks (`product` may be `y`).
    func apply(product: Tensor, residual: Tensor, into y: Tensor, _ context: KernelContext) {
        let p = UnsafePointer(product.rawPointer.assumingMemoryBound(to: UInt8.self))
        let r = UnsafePointer(residual.rawPointer.assumingMemoryBound(to: UInt8.self)), yp = y.rawPointer.assumingMemoryBound(to: UInt8.self)
        let chunk = 16_384, count = y.count, kernels = context.kernels.qs8
        context.pool.parallelFor((count + chunk - 1) / chunk) { task, _ in
            let start = task * chunk
            apply(min(chunk, count - start), product: p + start, residual: r + start, into: yp + start, kernels: kernels)
        }
    }

    /// Where a requantizing microkernel finds the residual of the bytes it writes: at the same offset from `residual` as
    /// theirs from `output`. Holds a pointer to the parameters, valid inside `QS8ResidualAdd.withTarget`.
    struct Target {
        let output: UnsafeMutablePointer<UInt8>
        let residual: UnsafePointer<UInt8>
        let params: UnsafePointer<qs8_add_params>
        let add: QS8ResidualAdd

        /// The residual's bytes for the output bytes at `y`.
        func residual(for y: UnsafeMutablePointer<UInt8>) -> UnsafePointer<UInt8> { residual + (y - output) }
    }

    /// Runs `body` with the target for an output `y` and its residual.
    func withTarget<R>(output y: Tensor, residual: Tensor, _ body: (Target) throws -> R) rethrows -> R {
        try withUnsafePointer(to: params) { params in
            try body(Target(output: y.rawPointer.assumingMemoryBound(to: UInt8.self),
                            residual: UnsafePointer(residual.rawPointer.assumingMemoryBound(to: UInt8.self)), params: params, add: self))
        }
    }
}
