/// `MaxUnpool(X, I, output_shape?)`: scatters X to the flat positions I of a zero tensor of the
/// pooled input's size (`(in − 1)·stride − pads + kernel` per axis); with `output_shape`, that
/// tensor sits in the leading corner of a zero tensor of the requested shape, as the ONNX
/// reference places it.
struct MaxUnpoolOperator: Operator {
    let c: OpContext
    let kernel: [Int], strides: [Int]?, pads: [Int]?
    var planTimeInputs: [Int] { [2] }

    init(_ c: OpContext) throws {
        self.c = c
        guard let k = try c.ints("kernel_shape") else { throw c.error(.invalidModel, "attribute 'kernel_shape' is required") }
        kernel = k
        strides = try c.ints("strides")
        pads = try c.ints("pads")
    }

    private func unpooledShape(_ x: [Int]) throws -> [Int] {
        let r = kernel.count
        guard x.count == r + 2 else { throw c.error(.shapeMismatch, "input \(x) must have \(r) spatial dimensions") }
        let s = strides ?? [Int](repeating: 1, count: r), p = pads ?? [Int](repeating: 0, count: 2 * r)
        return Array(x[0..<2]) + (0..<r).map { (x[$0 + 2] - 1) * s[$0] - (p[$0] + p[$0 + r]) + kernel[$0] }
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0), indices = try c.required(inputs, 1, "I")
        try c.check(indices.dataType, in: [.int64], "indices")
        guard indices.shape == x.shape else { throw c.error(.shapeMismatch, "indices \(indices.shape) must have the shape of X \(x.shape)") }
        let inferred = try unpooledShape(x.shape)
        if inputs.count > 2, let requested = try c.knownInts(inputs[2], "output_shape") {
            guard requested.count == inferred.count, zip(requested, inferred).allSatisfy({ $0 >= $1 }) else {
                throw c.error(.shapeMismatch, "output_shape \(requested) is smaller than the unpooled shape \(inferred)")
            }
            return [ValueSpec(x.dataType, requested)]
        }
        return [ValueSpec(x.dataType, inferred)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, indices = try inputs[1]!.intValues(), y = outputs[0]
        let inferred = try unpooledShape(x.shape), size = x.dataType.byteSize!
        let total = inferred.reduce(1, *)
        let inferredStrides = contiguousStrides(inferred), outStrides = contiguousStrides(y.shape)
        y.rawPointer.initializeMemory(as: UInt8.self, repeating: 0, count: y.byteCount)
        for (k, flat) in indices.enumerated() {
            guard flat >= 0 && flat < total else { throw c.error(.invalidInput, "index \(flat) is outside the unpooled tensor \(inferred)") }
            var rest = flat, offset = 0
            for d in 0..<inferred.count {
                offset += rest / inferredStrides[d] * outStrides[d]
                rest %= inferredStrides[d]
            }
            (y.rawPointer + offset * size).copyMemory(from: x.rawPointer + k * size, byteCount: size)
        }
    }
}
