/// `TopK(X, K)`: the `K` largest (or, with `largest=0`, smallest) elements along `axis` and their
/// int64 indices, in sorted order; equal values keep the lower index first.
struct TopKOperator: Operator {
    let c: OpContext
    let axis: Int
    let largest: Bool
    var planTimeInputs: [Int] { c.opset >= 10 ? [1] : [] }

    init(_ c: OpContext) throws {
        self.c = c
        axis = try c.int("axis", -1)
        largest = try c.int("largest", 1) != 0
    }

    private func k(_ inputs: [ValueSpec?]) throws -> Int {
        if c.opset < 10 {
            guard let k = try c.optionalInt("k") else { throw c.error(.invalidModel, "attribute 'k' is required") }
            return k
        }
        guard let k = try c.knownInts(try c.required(inputs, 1, "K"), "K")?.first else { throw c.error(.invalidModel, "K must hold one integer") }
        return k
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: numericTypes)
        let a = try c.axis(axis, rank: x.shape.count), k = try k(inputs)
        guard k >= 0 && k <= x.shape[a] else { throw c.error(.shapeMismatch, "K = \(k) is outside 0…\(x.shape[a]) for axis \(a) of \(x.shape)") }
        var shape = x.shape
        shape[a] = k
        return [ValueSpec(x.dataType, shape), ValueSpec(.int64, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, values = try x.doubleValues()
        let a = try c.axis(axis, rank: x.rank), k = outputs[0].shape[a]
        let outer = x.shape[..<a].reduce(1, *), n = x.shape[a], inner = x.shape[(a + 1)...].reduce(1, *)
        let size = x.dataType.byteSize!, indices = outputs[1].pointer(Int64.self)
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                let order = (0..<n).sorted { p, q in
                    let vp = values[base + p * inner], vq = values[base + q * inner]
                    if vp == vq { return p < q }
                    return largest ? vp > vq : vp < vq
                }
                for j in 0..<k {
                    let target = (o * k + j) * inner + i
                    (outputs[0].rawPointer + target * size).copyMemory(from: x.rawPointer + (base + order[j] * inner) * size, byteCount: size)
                    indices[target] = Int64(order[j])
                }
            }
        }
    }
}
