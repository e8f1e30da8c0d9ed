/// `ArgMax` and `ArgMin` along `axis`: int64 indices of the first (or, with
/// `select_last_index`, the last) extreme element; `keepdims` keeps the axis as size 1.
struct ArgReduceOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let axis: Int
    let keepDims: Bool
    let selectLast: Bool

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        axis = try c.int("axis", 0)
        keepDims = try c.int("keepdims", 1) != 0
        selectLast = try c.int("select_last_index", 0) != 0
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: numericTypes + [.float16, .bfloat16])
        let a = try c.axis(axis, rank: x.shape.count)
        var shape = x.shape
        if keepDims { shape[a] = 1 } else { shape.remove(at: a) }
        return [ValueSpec(.int64, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0].pointer(Int64.self)
        let a = try c.axis(axis, rank: x.rank)
        let values = try x.doubleValues()
        let outer = x.shape[..<a].reduce(1, *), n = x.shape[a], inner = x.shape[(a + 1)...].reduce(1, *)
        let isMax = kind == .argMax, last = selectLast
        for o in 0..<outer {
            for i in 0..<inner {
                var best = 0
                for j in 1..<Swift.max(n, 1) {
                    let v = values[(o * n + j) * inner + i], b = values[(o * n + best) * inner + i]
                    let better = isMax ? (last ? v >= b : v > b) : (last ? v <= b : v < b)
                    if better { best = j }
                }
                y[o * inner + i] = Int64(best)
            }
        }
    }
}
