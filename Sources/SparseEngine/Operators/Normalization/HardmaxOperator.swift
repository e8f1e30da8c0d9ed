/// `Hardmax`: 1 at the first largest element and 0 elsewhere, over `axis` (opset 13) or, before
/// opset 13, over the block of trailing axes from `axis` (default 1), as Softmax.
struct HardmaxOperator: Operator {
    let c: OpContext
    let axis: Int

    init(_ c: OpContext) throws {
        self.c = c
        axis = try c.int("axis", c.opset >= 13 ? -1 : 1)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: floatTypes)
        _ = try c.axis(axis, rank: Swift.max(x.shape.count, 1))
        return [ValueSpec(.float, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let shape = x.shape.isEmpty ? [1] : x.shape
        let a = try c.axis(axis, rank: shape.count)
        let outer = shape[..<a].reduce(1, *)
        let n = c.opset >= 13 ? shape[a] : shape[a...].reduce(1, *)
        let inner = c.opset >= 13 ? shape[(a + 1)...].reduce(1, *) : 1
        let xp = x.pointer(Float.self), yp = y.pointer(Float.self)
        yp.update(repeating: 0, count: y.count)
        for o in 0..<outer {
            for i in 0..<inner where n > 0 {
                let base = o * n * inner + i
                var best = 0
                for j in 1..<n where xp[base + j * inner] > xp[base + best * inner] { best = j }
                yp[base + best * inner] = 1
            }
        }
    }
}
