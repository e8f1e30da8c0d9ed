/// `GatherElements`: `out[i] = data[i with its axis coordinate replaced by indices[i]]`; the
/// output has the shape of `indices`. Negative indices count from the end.
struct GatherElementsOperator: Operator {
    let c: OpContext
    let axis: Int

    init(_ c: OpContext) throws {
        self.c = c
        axis = try c.int("axis", 0)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let data = try c.required(inputs, 0), indices = try c.required(inputs, 1, "indices")
        try c.check(indices.dataType, in: [.int64, .int32], "indices")
        guard indices.shape.count == data.shape.count else {
            throw c.error(.shapeMismatch, "indices \(indices.shape) must have the rank of data \(data.shape)")
        }
        _ = try c.axis(axis, rank: data.shape.count)
        return [ValueSpec(data.dataType, indices.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let data = inputs[0]!, indices = try inputs[1]!.intValues(), y = outputs[0]
        let a = try c.axis(axis, rank: data.rank), size = data.dataType.byteSize!
        let dataStrides = contiguousStrides(data.shape)
        var p = 0
        var failure: EngineError?
        forEachIndex(inputs[1]!.shape) { index in
            guard failure == nil else { return }
            var offset = 0
            for d in 0..<index.count where d != a { offset += index[d] * dataStrides[d] }
            let raw = indices[p], n = data.shape[a]
            let i = raw < 0 ? raw + n : raw
            guard i >= 0 && i < n else {
                failure = c.error(.invalidInput, "index \(raw) is out of range for axis \(a) of size \(n)")
                return
            }
            offset += i * dataStrides[a]
            (y.rawPointer + p * size).copyMemory(from: data.rawPointer + offset * size, byteCount: size)
            p += 1
        }
        if let failure { throw failure }
    }
}

/// `ScatterElements` (and the older `Scatter`): a copy of `data` where, for every element of
/// `updates`, the position with its axis coordinate replaced by `indices` receives the update,
/// combined by `reduction` (`none`, `add`, `mul`, `max`, `min`).
struct ScatterElementsOperator: Operator {
    let c: OpContext
    let axis: Int
    let reduction: ScatterReduction

    init(_ c: OpContext) throws {
        self.c = c
        axis = try c.int("axis", 0)
        reduction = try ScatterReduction(c)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let data = try c.required(inputs, 0), indices = try c.required(inputs, 1, "indices"), updates = try c.required(inputs, 2, "updates")
        try c.check(indices.dataType, in: [.int64, .int32], "indices")
        guard indices.shape == updates.shape, indices.shape.count == data.shape.count, updates.dataType == data.dataType else {
            throw c.error(.shapeMismatch, "indices \(indices.shape) and updates \(updates.shape) must match and have the rank of data \(data.shape)")
        }
        _ = try c.axis(axis, rank: data.shape.count)
        return [ValueSpec(data.dataType, data.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let data = inputs[0]!, indices = try inputs[1]!.intValues(), updates = inputs[2]!, y = outputs[0]
        let a = try c.axis(axis, rank: data.rank)
        let strides = contiguousStrides(data.shape)
        var targets: [Int] = []
        targets.reserveCapacity(indices.count)
        var failure: EngineError?
        forEachIndex(updates.shape) { index in
            let raw = indices[targets.count], n = data.shape[a]
            let i = raw < 0 ? raw + n : raw
            if i < 0 || i >= n { failure = failure ?? c.error(.invalidInput, "index \(raw) is out of range for axis \(a) of size \(n)") }
            var offset = 0
            for d in 0..<index.count { offset += (d == a ? i : index[d]) * strides[d] }
            targets.append(offset)
        }
        if let failure { throw failure }
        try reduction.scatter(data, updates, targets: targets, sliceSize: 1, into: y, pool: context.pool)
    }
}

/// How a scatter combines an update with the value already at its target.
enum ScatterReduction {
    case none, add, mul, max, min

    init(_ c: OpContext) throws {
        switch try c.string("reduction", "none") {
        case "none": self = .none
        case "add": self = .add
        case "mul": self = .mul
        case "max": self = .max
        case "min": self = .min
        case let other: throw c.error(.unsupportedAttribute, "reduction '\(other)' is not supported (none, add, mul, max, min)")
        }
    }

    /// Copies `data` into `y`, then applies update slice `k` (`sliceSize` elements) at element
    /// offset `targets[k]`, in order.
    func scatter(_ data: Tensor, _ updates: Tensor, targets: [Int], sliceSize: Int, into y: Tensor, pool: ThreadPool) throws {
        copyBytes(data, into: y, pool: pool)
        let size = data.dataType.byteSize!
        guard self != .none else {
            for (k, target) in targets.enumerated() {
                (y.rawPointer + target * size).copyMemory(from: updates.rawPointer + k * sliceSize * size, byteCount: sliceSize * size)
            }
            return
        }
        var values = try data.doubleValues()
        let update = try updates.doubleValues()
        for (k, target) in targets.enumerated() {
            for j in 0..<sliceSize {
                let u = update[k * sliceSize + j], t = target + j
                switch self {
                case .add: values[t] += u
                case .mul: values[t] *= u
                case .max: values[t] = Swift.max(values[t], u)
                case .min: values[t] = Swift.min(values[t], u)
                case .none: break
                }
            }
        }
        try writeDoubles(values, to: y)
    }
}
