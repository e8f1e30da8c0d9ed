/// `Expand`: broadcast the input to `broadcast(input.shape, shape)`.
struct ExpandOperator: Operator {
    let c: OpContext
    var planTimeInputs: [Int] { [1] }

    init(_ c: OpContext) { self.c = c }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        let target = try c.knownInts(try c.required(inputs, 1, "shape"), "shape")!
        guard let shape = broadcastShapes([x.shape, target]) else {
            throw c.error(.shapeMismatch, "input shape \(x.shape) cannot be expanded to \(target)")
        }
        return [ValueSpec(x.dataType, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        stridedCopy(elementSize: x.dataType.byteSize!, shape: y.shape, strides: broadcastStrides(x.shape, to: y.shape),
                    src: x.rawPointer, dst: y.rawPointer)
    }
}

/// `Tile` with a `repeats` input (one entry per axis).
struct TileOperator: Operator {
    let c: OpContext
    var planTimeInputs: [Int] { [1] }

    init(_ c: OpContext) { self.c = c }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        let repeats = try c.knownInts(try c.required(inputs, 1, "repeats"), "repeats")!
        guard repeats.count == x.shape.count, repeats.allSatisfy({ $0 >= 0 }) else {
            throw c.error(.shapeMismatch, "repeats \(repeats) must have one non-negative entry per axis of \(x.shape)")
        }
        return [ValueSpec(x.dataType, zip(x.shape, repeats).map(*))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        mapIndices(x, y) { d, i in i % x.shape[d] }
    }
}

/// `Pad` in constant, reflect, edge and wrap modes; pads (and the constant) as attributes
/// (opset < 11) or inputs (≥ 11, with the optional `axes` input of opset 18). Negative pads crop.
struct PadOperator: Operator {
    let c: OpContext
    var planTimeInputs: [Int] { c.opset >= 11 ? [1, 3] : [] }
    let mode: String

    init(_ c: OpContext) throws {
        self.c = c
        mode = try c.string("mode", "constant")
        guard ["constant", "reflect", "edge", "wrap"].contains(mode) else {
            throw c.error(.unsupportedAttribute, "mode '\(mode)' is not supported (constant, reflect, edge, wrap)")
        }
    }

    /// Begin pads and end pads for every axis.
    private func pads(_ inputs: [ValueSpec?], rank: Int) throws -> ([Int], [Int]) {
        var raw: [Int]
        var axes = Array(0..<rank)
        if c.opset < 11 {
            guard let p = try c.ints("pads") ?? c.ints("paddings") else { throw c.error(.invalidModel, "attribute 'pads' is required") }
            raw = p
        } else {
            raw = try c.knownInts(try c.required(inputs, 1, "pads"), "pads")!
            if inputs.count > 3, let spec = inputs[3] { axes = try c.knownInts(spec, "axes")!.map { try c.axis($0, rank: rank) } }
        }
        guard raw.count == 2 * axes.count else {
            throw c.error(.invalidModel, "pads \(raw) must have 2 entries per padded axis (\(axes.count) axes)")
        }
        var begin = [Int](repeating: 0, count: rank), end = begin
        for (i, a) in axes.enumerated() {
            begin[a] = raw[i]
            end[a] = raw[i + axes.count]
        }
        return (begin, end)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        let (begin, end) = try pads(inputs, rank: x.shape.count)
        let shape = (0..<x.shape.count).map { x.shape[$0] + begin[$0] + end[$0] }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw c.error(.shapeMismatch, "pads \(begin + end) crop more than the input \(x.shape)") }
        if mode != "constant" {
            for d in 0..<shape.count where (begin[d] > 0 || end[d] > 0) && x.shape[d] == 0 {
                throw c.error(.shapeMismatch, "cannot \(mode)-pad an empty axis \(d)")
            }
            if mode == "reflect" {
                for d in 0..<shape.count where max(begin[d], end[d]) >= x.shape[d] && (begin[d] > 0 || end[d] > 0) {
                    throw c.error(.shapeMismatch, "reflect pads \(begin[d]), \(end[d]) must be smaller than axis \(d) of size \(x.shape[d])")
                }
            }
        }
        return [ValueSpec(x.dataType, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let specs = inputs.map { $0.map { ValueSpec(known: $0) } }
        let (begin, _) = try pads(specs, rank: x.rank)
        var constant = 0.0
        if c.opset < 11 {
            constant = Double(try c.float("value", 0))
        } else if inputs.count > 2, let v = inputs[2], v.count > 0 {
            constant = try v.doubleValues()[0]
        }
        let fill = try Tensor(zeros: x.dataType, shape: [1])
        if x.dataType != .bool { try writeDoubles([constant], to: fill) } else { fill.pointer(UInt8.self)[0] = constant != 0 ? 1 : 0 }
        let mode = self.mode
        mapIndices(x, y, fill: fill) { d, o in
            let n = x.shape[d]
            let i = o - begin[d]
            if i >= 0 && i < n { return i }
            switch mode {
            case "edge": return i < 0 ? 0 : n - 1
            case "reflect":
                if n == 1 { return 0 }
                let period = 2 * (n - 1)
                var r = i % period
                if r < 0 { r += period }
                return r < n ? r : period - r
            case "wrap":
                let r = i % n
                return r < 0 ? r + n : r
            default: return nil
            }
        }
    }
}

/// Fills `y` by mapping each output index to an input index per axis; `nil` means "use `fill`".
func mapIndices(_ x: Tensor, _ y: Tensor, fill: Tensor? = nil, _ source: (Int, Int) -> Int?) {
    let rank = y.rank, size = y.dataType.byteSize!
    if y.count == 0 { return }
    let xStrides = contiguousStrides(x.shape)
    // Per axis, the precomputed source offset (or -1 for fill) of each output coordinate.
    let tables: [[Int]] = (0..<rank).map { d in (0..<y.shape[d]).map { o in source(d, o).map { $0 * xStrides[d] } ?? -1 } }
    var index = [Int](repeating: 0, count: rank)
    for out in 0..<y.count {
        var offset = 0
        var isFill = false
        for d in 0..<rank {
            let t = tables[d][index[d]]
            if t < 0 { isFill = true; break }
            offset += t
        }
        let dst = y.rawPointer + out * size
        if isFill { dst.copyMemory(from: fill!.rawPointer, byteCount: size) } else { dst.copyMemory(from: x.rawPointer + offset * size, byteCount: size) }
        var d = rank - 1
        while d >= 0 {
            index[d] += 1
            if index[d] < y.shape[d] { break }
            index[d] = 0
            d -= 1
        }
    }
}
