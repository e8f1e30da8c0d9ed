/// `Transpose` with `perm` (default: reversed axes).
struct TransposeOperator: Operator {
    let c: OpContext
    let perm: [Int]?

    init(_ c: OpContext) throws {
        self.c = c
        perm = try c.ints("perm")
    }

    private func permutation(rank: Int) throws -> [Int] {
        let p = perm ?? Array((0..<rank).reversed())
        guard p.count == rank, Set(p) == Set(0..<rank) else {
            throw c.error(.invalidModel, "perm \(p) is not a permutation of 0..<\(rank)")
        }
        return p
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        let p = try permutation(rank: x.shape.count)
        return [ValueSpec(x.dataType, p.map { x.shape[$0] })]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let p = try permutation(rank: x.rank)
        let strides = contiguousStrides(x.shape), viewStrides = p.map { strides[$0] }, elementSize = x.dataType.byteSize!
        if tiledTranspose(elementSize: elementSize, shape: y.shape, strides: viewStrides, src: x.rawPointer, dst: y.rawPointer,
                          pool: context.pool) { return }
        stridedCopy(elementSize: elementSize, shape: y.shape, strides: viewStrides, src: x.rawPointer, dst: y.rawPointer)
    }
}

/// `Concat` along `axis` (negative allowed), copied in parallel (`RowPartCopy`).
struct ConcatOperator: Operator {
    let c: OpContext
    let axis: Int

    init(_ c: OpContext) throws {
        self.c = c
        guard let a = try c.optionalInt("axis") else { throw c.error(.invalidModel, "attribute 'axis' is required") }
        axis = a
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let xs = inputs.compactMap { $0 }
        guard let first = xs.first else { throw c.error(.invalidModel, "needs at least one input") }
        let a = try c.axis(axis, rank: first.shape.count)
        var shape = first.shape
        shape[a] = 0
        for x in xs {
            guard x.dataType == first.dataType else { throw c.error(.invalidModel, "inputs have different types \(first.dataType) and \(x.dataType)") }
            guard x.shape.count == shape.count, x.shape.enumerated().allSatisfy({ $0.offset == a || $0.element == shape[$0.offset] }) else {
                throw c.error(.shapeMismatch, "input shapes \(xs.map(\.shape)) differ outside axis \(axis)")
            }
            shape[a] += x.shape[a]
        }
        return [ValueSpec(first.dataType, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let y = outputs[0]
        let a = try c.axis(axis, rank: y.rank)
        let size = y.dataType.byteSize!
        let xs = inputs.compactMap { $0 }
        RowPartCopy(parts: xs.map(\.rawPointer), widths: xs.map { $0.shape[a...].reduce(1, *) * size }, rows: y.shape[..<a].reduce(1, *))
            .gather(into: y.rawPointer, pool: context.pool)
    }
}

/// `Split` along `axis`: sizes from the `split` attribute (opset < 13) or input (≥ 13), else
/// equal parts (opset 18 `num_outputs`: ceil-sized parts, the last smaller), copied in parallel (`RowPartCopy`).
struct SplitOperator: Operator {
    let c: OpContext
    var planTimeInputs: [Int] { c.opset >= 13 ? [1] : [] }
    let axis: Int
    let attributeSplit: [Int]?

    init(_ c: OpContext) throws {
        self.c = c
        axis = try c.int("axis", 0)
        attributeSplit = c.opset < 13 ? try c.ints("split") : nil
    }

    private func sizes(_ inputs: [ValueSpec?], dim: Int) throws -> [Int] {
        var split = attributeSplit
        if c.opset >= 13, inputs.count > 1, let spec = inputs[1] { split = try c.knownInts(spec, "split") }
        let parts = c.node.outputs.count
        if let split {
            guard split.count == parts, split.reduce(0, +) == dim, split.allSatisfy({ $0 >= 0 }) else {
                throw c.error(.shapeMismatch, "split \(split) does not divide dimension \(dim) into \(parts) outputs")
            }
            return split
        }
        if c.opset >= 18, let n = try c.optionalInt("num_outputs") {
            let chunk = (dim + n - 1) / n
            return (0..<n).map { Swift.max(0, Swift.min(chunk, dim - $0 * chunk)) }
        }
        guard parts > 0, dim % parts == 0 else {
            throw c.error(.shapeMismatch, "dimension \(dim) does not split evenly into \(parts) outputs; give 'split' explicitly")
        }
        return [Int](repeating: dim / parts, count: parts)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        let a = try c.axis(axis, rank: x.shape.count)
        return try sizes(inputs, dim: x.shape[a]).map { s in
            var shape = x.shape
            shape[a] = s
            return ValueSpec(x.dataType, shape)
        }
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!
        let a = try c.axis(axis, rank: x.rank)
        let size = x.dataType.byteSize!
        RowPartCopy(parts: outputs.map(\.rawPointer), widths: outputs.map { $0.shape[a...].reduce(1, *) * size }, rows: x.shape[..<a].reduce(1, *))
            .scatter(from: x.rawPointer, pool: context.pool)
    }
}
