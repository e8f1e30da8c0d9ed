/// `Slice`: starts/ends/axes as attributes (opset < 10) or inputs with optional axes and steps
/// (≥ 10); negative indices count from the end and are clamped as the spec says.
struct SliceOperator: Operator {
    let c: OpContext
    var planTimeInputs: [Int] { c.opset >= 10 ? [1, 2, 3, 4] : [] }

    init(_ c: OpContext) throws { self.c = c }

    /// Per-axis (start, step, count) for every axis of the input.
    private func ranges(_ inputs: [ValueSpec?], shape: [Int]) throws -> [(start: Int, step: Int, count: Int)] {
        let starts: [Int], ends: [Int]
        var axes: [Int]?, steps: [Int]?
        if c.opset < 10 {
            guard let s = try c.ints("starts"), let e = try c.ints("ends") else { throw c.error(.invalidModel, "attributes 'starts' and 'ends' are required") }
            starts = s; ends = e; axes = try c.ints("axes")
        } else {
            starts = try c.knownInts(try c.required(inputs, 1, "starts"), "starts")!
            ends = try c.knownInts(try c.required(inputs, 2, "ends"), "ends")!
            axes = inputs.count > 3 ? try c.knownInts(inputs[3], "axes") : nil
            steps = inputs.count > 4 ? try c.knownInts(inputs[4], "steps") : nil
        }
        let axisList = axes ?? Array(0..<starts.count)
        guard starts.count == ends.count, axisList.count == starts.count, (steps?.count ?? starts.count) == starts.count else {
            throw c.error(.invalidModel, "starts \(starts), ends \(ends), axes \(axisList) and steps \(steps ?? []) must have equal lengths")
        }
        var result = shape.map { (start: 0, step: 1, count: $0) }
        for (i, rawAxis) in axisList.enumerated() {
            let a = try c.axis(rawAxis, rank: shape.count)
            let dim = shape[a]
            let step = steps?[i] ?? 1
            guard step != 0 else { throw c.error(.invalidModel, "slice step must not be 0") }
            var s = starts[i], e = ends[i]
            if s < 0 { s += dim }
            if e < 0 { e += dim }
            let count: Int
            if step > 0 {
                s = Swift.min(Swift.max(s, 0), dim); e = Swift.min(Swift.max(e, 0), dim)
                count = e > s ? (e - s + step - 1) / step : 0
            } else {
                s = Swift.min(Swift.max(s, -1), dim - 1); e = Swift.min(Swift.max(e, -1), dim - 1)
                count = s > e ? (s - e + (-step) - 1) / (-step) : 0
            }
            result[a] = (start: s, step: step, count: count)
        }
        return result
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        let r = try ranges(inputs, shape: x.shape)
        return [ValueSpec(x.dataType, r.map(\.count))]
    }

    private func copy(_ x: Tensor, _ y: Tensor, _ r: [(start: Int, step: Int, count: Int)]) {
        let strides = contiguousStrides(x.shape)
        var base = 0
        for (d, range) in r.enumerated() where range.count > 0 { base += range.start * strides[d] }
        if y.count == 0 { return }
        let size = x.dataType.byteSize!
        stridedCopy(elementSize: size, shape: y.shape, strides: zip(strides, r).map { $0 * $1.step },
                    src: x.rawPointer + base * size, dst: y.rawPointer)
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let specs = inputs.map { $0.map { ValueSpec(known: $0) } }
        copy(inputs[0]!, outputs[0], try ranges(specs, shape: inputs[0]!.shape))
    }
}

/// `Gather` along `axis` with int32/int64 indices (negative indices count from the end).
struct GatherOperator: Operator {
    let c: OpContext
    let axis: Int

    init(_ c: OpContext) throws {
        self.c = c
        axis = try c.int("axis", 0)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0), idx = try c.required(inputs, 1, "indices")
        try c.check(idx.dataType, in: [.int64, .int32], "indices")
        let a = try c.axis(axis, rank: x.shape.count)
        let shape = Array(x.shape[..<a]) + idx.shape + Array(x.shape[(a + 1)...])
        return [ValueSpec(x.dataType, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, indices = try inputs[1]!.intValues(), y = outputs[0]
        let a = try c.axis(axis, rank: x.rank)
        let size = x.dataType.byteSize!
        let outer = x.shape[..<a].reduce(1, *), n = x.shape[a]
        let inner = x.shape[(a + 1)...].reduce(1, *) * size
        var out = y.rawPointer
        for o in 0..<outer {
            for raw in indices {
                let i = raw < 0 ? raw + n : raw
                guard i >= 0 && i < n else {
                    throw c.error(.invalidInput, "index \(raw) is out of range for axis \(a) of size \(n)")
                }
                out.copyMemory(from: x.rawPointer + (o * n + i) * inner, byteCount: inner)
                out += inner
            }
        }
    }
}
