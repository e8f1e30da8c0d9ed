/// `Col2Im(input [N, C·∏block, L], image_shape, block_shape)`: the inverse of im2col — each
/// column (one sliding-window position) is added back into the image at the pixels its block
/// covers, with `strides`, `dilations` and `pads`.
struct Col2ImOperator: Operator {
    let c: OpContext
    let attributes: ConvGeometry.Attributes
    var planTimeInputs: [Int] { [1, 2] }

    init(_ c: OpContext) throws {
        self.c = c
        attributes = try ConvGeometry.Attributes(c)
    }

    private func window(_ inputs: [ValueSpec?]) throws -> SpatialWindow {
        let image = try c.knownInts(try c.required(inputs, 1, "image_shape"), "image_shape")!
        let block = try c.knownInts(try c.required(inputs, 2, "block_shape"), "block_shape")!
        guard image.count == block.count else { throw c.error(.shapeMismatch, "image_shape \(image) and block_shape \(block) differ in rank") }
        return try SpatialWindow(spatial: image, kernel: block, attributes: attributes, c: c)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: floatTypes)
        let w = try window(inputs)
        guard x.shape.count == 3, x.shape[1] % w.kernelCount == 0, x.shape[2] == w.outputCount else {
            throw c.error(.shapeMismatch, "input \(x.shape) must be [N, C·\(w.kernelCount), \(w.outputCount)] for blocks \(w.kernel) over \(w.input)")
        }
        return [ValueSpec(.float, [x.shape[0], x.shape[1] / w.kernelCount] + w.input)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let w = try window(inputs.map { $0.map { ValueSpec(known: $0) } })
        let table = w.sourceTable()
        let x = inputs[0]!.pointer(Float.self), y = outputs[0].pointer(Float.self)
        let planes = outputs[0].shape[0] * outputs[0].shape[1], image = w.inputCount, positions = w.outputCount
        y.update(repeating: 0, count: outputs[0].count)
        for p in 0..<planes {
            for k in 0..<w.kernelCount {
                let column = x + (p * w.kernelCount + k) * positions
                for l in 0..<positions where table[k][l] >= 0 { y[p * image + table[k][l]] += column[l] }
            }
        }
    }
}
