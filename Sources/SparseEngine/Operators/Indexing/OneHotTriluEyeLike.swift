/// `OneHot(indices, depth, values)`: a new axis of size `depth` at `axis` (default last) holding
/// `values[1]` at each index and `values[0]` elsewhere; negative indices count from `depth`,
/// out-of-range ones give an all-off row.
struct OneHotOperator: Operator {
    let c: OpContext
    let axis: Int
    var planTimeInputs: [Int] { [1] }

    init(_ c: OpContext) throws {
        self.c = c
        axis = try c.int("axis", -1)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let indices = try c.required(inputs, 0, "indices"), values = try c.required(inputs, 2, "values")
        guard let depth = try c.knownDoubles(try c.required(inputs, 1, "depth"), "depth")?.first, depth >= 1 else {
            throw c.error(.invalidModel, "depth must be a positive number")
        }
        guard values.count == 2 else { throw c.error(.shapeMismatch, "values must hold [off, on], got shape \(values.shape)") }
        var shape = indices.shape
        shape.insert(Int(depth), at: try c.axis(axis, rank: shape.count + 1))
        return [ValueSpec(values.dataType, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let indices = try inputs[0]!.doubleValues(), values = inputs[2]!, y = outputs[0]
        let a = try c.axis(axis, rank: y.rank)
        let depth = y.shape[a], inner = y.shape[(a + 1)...].reduce(1, *), size = y.dataType.byteSize!
        for p in 0..<y.count { (y.rawPointer + p * size).copyMemory(from: values.rawPointer, byteCount: size) }
        for (p, raw) in indices.enumerated() {
            var i = Int(raw)
            if i < 0 { i += depth }
            guard i >= 0 && i < depth else { continue }
            let outer = p / inner, position = p % inner
            (y.rawPointer + ((outer * depth + i) * inner + position) * size).copyMemory(from: values.rawPointer + size, byteCount: size)
        }
    }
}

/// `Trilu`: keeps the upper (`upper=1`) or lower triangle of the last two axes relative to the
/// diagonal `k` (optional input), zeroing the rest.
struct TriluOperator: Operator {
    let c: OpContext
    let upper: Bool

    init(_ c: OpContext) throws {
        self.c = c
        upper = try c.int("upper", 1) != 0
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        guard x.shape.count >= 2 else { throw c.error(.shapeMismatch, "input \(x.shape) must have at least 2 dimensions") }
        return [ValueSpec(x.dataType, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let k = try inputs.count > 1 ? inputs[1].map { try $0.intValues().first ?? 0 } ?? 0 : 0
        let rows = x.shape[x.rank - 2], cols = x.shape[x.rank - 1], size = x.dataType.byteSize!
        copyBytes(x, into: y, pool: context.pool)
        for m in 0..<(x.count / Swift.max(rows * cols, 1)) {
            for i in 0..<rows {
                for j in 0..<cols where upper ? j - i < k : j - i > k {
                    (y.rawPointer + ((m * rows + i) * cols + j) * size).initializeMemory(as: UInt8.self, repeating: 0, count: size)
                }
            }
        }
    }
}

/// `EyeLike`: a 2-D tensor of the input's shape with ones on diagonal `k`, of type `dtype`
/// (default: the input's).
struct EyeLikeOperator: Operator {
    let c: OpContext
    let k: Int
    let dataType: DataType?

    init(_ c: OpContext) throws {
        self.c = c
        k = try c.int("k", 0)
        dataType = try c.optionalInt("dtype").map { try DataType.decode(Int32(truncatingIfNeeded: $0), context: "EyeLike 'dtype'") }
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        guard x.shape.count == 2 else { throw c.error(.shapeMismatch, "input \(x.shape) must be 2-D") }
        let type = dataType ?? x.dataType
        try c.check(type, in: numericTypes + [.bool, .float16])
        return [ValueSpec(type, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let y = outputs[0], rows = y.shape[0], cols = y.shape[1]
        var values = [Double](repeating: 0, count: y.count)
        for i in 0..<rows where i + k >= 0 && i + k < cols { values[i * cols + i + k] = 1 }
        let source = try Tensor(shape: y.shape, scalars: values)
        try castTensor(source, into: y)
    }
}
