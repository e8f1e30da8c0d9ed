/// `Constant` from any of `value`, `sparse_value`, `value_float(s)`, `value_int(s)`;
/// string constants are not supported.
struct ConstantOperator: Operator {
    let c: OpContext
    let value: Tensor

    init(_ c: OpContext) throws {
        self.c = c
        if let t = try c.tensor("value") ?? c.tensor("sparse_value") {
            value = t
        } else if let f = try c.optionalFloat("value_float") {
            value = Tensor(scalar: f)
        } else if let fs = try c.floats("value_floats") {
            value = try Tensor(shape: [fs.count], scalars: fs)
        } else if let i = try c.optionalInt("value_int") {
            value = Tensor(scalar: Int64(i))
        } else if let ints = try c.ints("value_ints") {
            value = try Tensor(shape: [ints.count], scalars: ints.map { Int64($0) })
        } else if c.node.attributes["value_string"] != nil || c.node.attributes["value_strings"] != nil {
            throw c.error(.unsupportedDataType, "string constants are not supported")
        } else {
            throw c.error(.invalidModel, "needs one of value, sparse_value, value_float(s), value_int(s)")
        }
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] { [ValueSpec(known: value)] }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws { copyBytes(value, into: outputs[0], pool: context.pool) }
}

/// `ConstantOfShape`: a tensor of the given shape filled with `value` (default float 0).
struct ConstantOfShapeOperator: Operator {
    let c: OpContext
    var planTimeInputs: [Int] { [0] }
    let fill: Tensor

    init(_ c: OpContext) throws {
        self.c = c
        fill = try c.tensor("value") ?? Tensor(scalar: Float(0))
        guard fill.count == 1 else { throw c.error(.invalidModel, "'value' must hold exactly one element, not \(fill.count)") }
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let shape = try c.knownInts(try c.required(inputs, 0, "shape"), "shape")!
        guard shape.allSatisfy({ $0 >= 0 }) else { throw c.error(.shapeMismatch, "shape \(shape) has a negative dimension") }
        return [ValueSpec(fill.dataType, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let y = outputs[0], size = y.dataType.byteSize!
        for i in 0..<y.count { (y.rawPointer + i * size).copyMemory(from: fill.rawPointer, byteCount: size) }
    }
}

/// `Range(start, limit, delta)`: `max(ceil((limit − start)/delta), 0)` elements.
struct RangeOperator: Operator {
    let c: OpContext
    var planTimeInputs: [Int] { [0, 1, 2] }

    init(_ c: OpContext) { self.c = c }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let start = try c.required(inputs, 0, "start")
        try c.check(start.dataType, in: [.float, .double, .int16, .int32, .int64])
        let s = try c.knownDoubles(start, "start")![0]
        let l = try c.knownDoubles(try c.required(inputs, 1, "limit"), "limit")![0]
        let d = try c.knownDoubles(try c.required(inputs, 2, "delta"), "delta")![0]
        guard d != 0 else { throw c.error(.invalidModel, "delta must not be 0") }
        let n = Swift.max(Int(((l - s) / d).rounded(.up)), 0)
        return [ValueSpec(start.dataType, [n])]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let y = outputs[0]
        if y.dataType == .int64 || y.dataType == .int32 || y.dataType == .int16 {
            let s = try inputs[0]!.intValues()[0], d = try inputs[2]!.intValues()[0]
            try writeDoubles((0..<y.count).map { Double(s + $0 * d) }, to: y)
        } else {
            let s = try inputs[0]!.doubleValues()[0], d = try inputs[2]!.doubleValues()[0]
            try writeDoubles((0..<y.count).map { s + Double($0) * d }, to: y)
        }
    }
}
