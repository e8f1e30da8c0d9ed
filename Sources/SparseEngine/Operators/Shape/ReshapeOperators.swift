/// `Reshape`: `0` copies the input dimension (unless `allowzero=1`, opset 14), `-1` is inferred.
struct ReshapeOperator: Operator {
    let c: OpContext
    var planTimeInputs: [Int] { [1] }
    let allowZero: Bool

    init(_ c: OpContext) throws {
        self.c = c
        allowZero = try c.int("allowzero", 0) != 0
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        guard let requested = try c.knownInts(try c.required(inputs, 1, "shape"), "shape") else { throw c.error(.invalidModel, "shape input is required") }
        let shape = try reshapedShape(x.shape, to: requested, allowZero: allowZero, c)
        return [ValueSpec(x.dataType, shape, value: try x.value?.reshaped(shape))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws { copyBytes(inputs[0]!, into: outputs[0], pool: context.pool) }
}

/// The shape `Reshape` gives a tensor of shape `input` for the `requested` shape: 0 copies the input's dimension
/// (unless `allowZero`), one -1 takes what the element count leaves.
func reshapedShape(_ input: [Int], to requested: [Int], allowZero: Bool, _ c: OpContext) throws -> [Int] {
    let count = input.reduce(1, *)
    var shape = requested
    var inferred: Int? = nil
    for (i, d) in requested.enumerated() {
        if d == 0 && !allowZero {
            guard i < input.count else { throw c.error(.shapeMismatch, "shape \(requested) copies dimension \(i) of input \(input), which does not exist") }
            shape[i] = input[i]
        } else if d == -1 {
            guard inferred == nil else { throw c.error(.invalidModel, "shape \(requested) has more than one -1") }
            inferred = i
        } else if d < 0 {
            throw c.error(.invalidModel, "shape \(requested) has invalid dimension \(d)")
        }
    }
    if let i = inferred {
        let known = shape.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
        guard known > 0, count % known == 0 else {
            throw c.error(.shapeMismatch, "cannot reshape \(input) (\(count) elements) to \(requested)")
        }
        shape[i] = count / known
    }
    guard shape.reduce(1, *) == count else {
        throw c.error(.shapeMismatch, "cannot reshape \(input) (\(count) elements) to \(requested)")
    }
    return shape
}

/// `Flatten`: `[d0…d(axis-1)] × [d(axis)…]` as a 2-D tensor.
struct FlattenOperator: Operator {
    let c: OpContext
    let axis: Int

    init(_ c: OpContext) throws {
        self.c = c
        axis = try c.int("axis", 1)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        let a = axis < 0 ? axis + x.shape.count : axis
        guard a >= 0 && a <= x.shape.count else { throw c.error(.invalidModel, "axis \(axis) is out of range for rank \(x.shape.count)") }
        let shape = [x.shape[..<a].reduce(1, *), x.shape[a...].reduce(1, *)]
        return [ValueSpec(x.dataType, shape, value: try x.value?.reshaped(shape))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws { copyBytes(inputs[0]!, into: outputs[0], pool: context.pool) }
}

/// `Squeeze`: axes from the attribute (opset < 13) or the optional input (≥ 13); without axes
/// every size-1 dimension is removed.
struct SqueezeOperator: Operator {
    let c: OpContext
    var planTimeInputs: [Int] { c.opset >= 13 ? [1] : [] }
    let attributeAxes: [Int]?

    init(_ c: OpContext) throws {
        self.c = c
        attributeAxes = c.opset < 13 ? try c.ints("axes") : nil
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        var axes = attributeAxes
        if c.opset >= 13, inputs.count > 1, let spec = inputs[1] { axes = try c.knownInts(spec, "axes") }
        let shape: [Int]
        if let axes {
            let normalized = try Set(axes.map { try c.axis($0, rank: x.shape.count) })
            for a in normalized where x.shape[a] != 1 {
                throw c.error(.shapeMismatch, "cannot squeeze axis \(a) of shape \(x.shape): its size is not 1")
            }
            shape = x.shape.enumerated().filter { !normalized.contains($0.offset) }.map(\.element)
        } else {
            shape = x.shape.filter { $0 != 1 }
        }
        return [ValueSpec(x.dataType, shape, value: try x.value?.reshaped(shape))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws { copyBytes(inputs[0]!, into: outputs[0], pool: context.pool) }
}

/// `Unsqueeze`: axes (relative to the output rank) from the attribute (opset < 13) or input (≥ 13).
struct UnsqueezeOperator: Operator {
    let c: OpContext
    var planTimeInputs: [Int] { c.opset >= 13 ? [1] : [] }
    let attributeAxes: [Int]?

    init(_ c: OpContext) throws {
        self.c = c
        attributeAxes = c.opset < 13 ? try c.ints("axes") : nil
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        let axes = c.opset >= 13 ? try c.knownInts(try c.required(inputs, 1, "axes"), "axes") : attributeAxes
        guard let axes else { throw c.error(.invalidModel, "axes are required") }
        let rank = x.shape.count + axes.count
        let normalized = try axes.map { try c.axis($0, rank: rank) }
        guard Set(normalized).count == normalized.count else { throw c.error(.invalidModel, "axes \(axes) contain duplicates") }
        var shape: [Int] = []
        var source = x.shape.makeIterator()
        for i in 0..<rank { shape.append(normalized.contains(i) ? 1 : source.next()!) }
        return [ValueSpec(x.dataType, shape, value: try x.value?.reshaped(shape))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws { copyBytes(inputs[0]!, into: outputs[0], pool: context.pool) }
}

/// `Identity`: the output is the input.
struct IdentityOperator: Operator {
    let c: OpContext

    init(_ c: OpContext) {
        self.c = c
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        return [ValueSpec(x.dataType, x.shape, value: x.value)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        copyBytes(inputs[0]!, into: outputs[0], pool: context.pool)
    }
}

/// `Shape` with the opset-15 `start`/`end` slice; its value is known at plan time.
struct ShapeOperator: Operator {
    let c: OpContext
    var readsOnlyInputShapes: Bool { true }
    let start: Int
    let end: Int?

    init(_ c: OpContext) throws {
        self.c = c
        start = try c.int("start", 0)
        end = try c.optionalInt("end")
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        let r = x.shape.count
        func clamp(_ v: Int) -> Int { Swift.min(Swift.max(v < 0 ? v + r : v, 0), r) }
        let s = clamp(start), e = clamp(end ?? r)
        let dims = s < e ? Array(x.shape[s..<e]) : []
        let value = try Tensor(shape: [dims.count], scalars: dims.map { Int64($0) })
        return [ValueSpec(known: value)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let value = try inferOutputs([ValueSpec(known: inputs[0]!)])[0].value!
        copyBytes(value, into: outputs[0], pool: context.pool)
    }
}

/// `Size`: the element count as an int64 scalar; known at plan time.
struct SizeOperator: Operator {
    let c: OpContext
    var readsOnlyInputShapes: Bool { true }

    init(_ c: OpContext) { self.c = c }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        return [ValueSpec(known: Tensor(scalar: Int64(x.count)))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        outputs[0].pointer(Int64.self)[0] = Int64(inputs[0]!.count)
    }
}
