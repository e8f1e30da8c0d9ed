import Foundation

/// `ReduceMean ReduceSum ReduceMax ReduceMin ReduceProd ReduceL1 ReduceL2 ReduceLogSum
/// ReduceLogSumExp ReduceSumSquare`: axes from the attribute (older opsets) or the optional second
/// input (ReduceSum ≥ 13, the others ≥ 18), `keepdims`, `noop_with_empty_axes`. The last five are
/// a sum of transformed elements, computed in double.
struct ReduceOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let keepDims: Bool
    let noopWithEmptyAxes: Bool
    let attributeAxes: [Int]?
    let axesFromInput: Bool
    var planTimeInputs: [Int] { axesFromInput ? [1] : [] }

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        keepDims = try c.int("keepdims", 1) != 0
        noopWithEmptyAxes = try c.int("noop_with_empty_axes", 0) != 0
        axesFromInput = kind == .reduceSum ? c.opset >= 13 : c.opset >= 18
        attributeAxes = axesFromInput ? nil : try c.ints("axes")
    }

    /// The normalized reduced axes, or nil for "no reduction" (noop_with_empty_axes).
    private func axes(_ inputs: [ValueSpec?], rank: Int) throws -> [Int]? {
        var list = attributeAxes
        if axesFromInput, inputs.count > 1, let spec = inputs[1] { list = try c.knownInts(spec, "axes") }
        if list == nil || list!.isEmpty {
            return noopWithEmptyAxes ? nil : Array(0..<rank)
        }
        return try Set(list!.map { try c.axis($0, rank: rank) }).sorted()
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: [.float, .double, .int64, .int32] + (isSumOfTransformed ? [.float16] : []))
        guard let axes = try axes(inputs, rank: x.shape.count) else { return [ValueSpec(x.dataType, x.shape)] }
        var shape: [Int] = []
        for (i, d) in x.shape.enumerated() {
            if axes.contains(i) { if keepDims { shape.append(1) } } else { shape.append(d) }
        }
        return [ValueSpec(x.dataType, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let specs = inputs.map { $0.map { ValueSpec(known: $0) } }
        guard let axes = try axes(specs, rank: x.rank) else {
            y.rawPointer.copyMemory(from: x.rawPointer, byteCount: x.byteCount)
            return
        }
        let kept = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let loop = BroadcastLoop(outShape: x.shape, inputs: [x.shape, kept])
        if isSumOfTransformed {
            try sumOfTransformed(x, y, loop)
            return
        }
        _ = try Kernel(kind: kind, loop: loop, x: x, y: y, reduced: x.count / max(y.count, 1))(x.dataType)
    }

    private var isSumOfTransformed: Bool {
        [.reduceL1, .reduceL2, .reduceLogSum, .reduceLogSumExp, .reduceSumSquare].contains(kind)
    }

    /// `post(Σ pre(x))`: |x| for L1, x² then √ for L2, log for LogSum, exp then log for LogSumExp
    /// (shifted by each group's largest element, so large inputs do not overflow), x² for SumSquare.
    private func sumOfTransformed(_ x: Tensor, _ y: Tensor, _ loop: BroadcastLoop) throws {
        let values = try x.doubleValues()
        let n = loop.inner, sx = loop.innerStride(0), sy = loop.innerStride(1)
        var shifts = [Double](repeating: 0, count: y.count)
        if kind == .reduceLogSumExp {
            shifts = [Double](repeating: -.infinity, count: y.count)
            loop.forEachRow { _, off in
                for i in 0..<n { shifts[off[1] + i * sy] = Swift.max(shifts[off[1] + i * sy], values[off[0] + i * sx]) }
            }
            shifts = shifts.map { $0.isFinite ? $0 : 0 }
        }
        let kind = self.kind
        var sums = [Double](repeating: 0, count: y.count)
        loop.forEachRow { _, off in
            for i in 0..<n {
                let v = values[off[0] + i * sx], o = off[1] + i * sy
                switch kind {
                case .reduceL1: sums[o] += Swift.abs(v)
                case .reduceL2, .reduceSumSquare: sums[o] += v * v
                case .reduceLogSumExp: sums[o] += Foundation.exp(v - shifts[o])
                default: sums[o] += v
                }
            }
        }
        for o in sums.indices {
            switch kind {
            case .reduceL2: sums[o] = sums[o].squareRoot()
            case .reduceLogSum: sums[o] = Foundation.log(sums[o])
            case .reduceLogSumExp: sums[o] = Foundation.log(sums[o]) + shifts[o]
            default: break
            }
        }
        if y.dataType == .float16 {
            let d = y.pointer(UInt16.self)
            for i in sums.indices { d[i] = floatToHalf(Float(sums[i])) }
        } else {
            try writeDoubles(sums, to: y)
        }
    }

    private struct Kernel: ArithmeticVisitor {
        let kind: OpKind, loop: BroadcastLoop, x: Tensor, y: Tensor, reduced: Int
        func visit<T: ArithmeticElement>(_ type: T.Type) throws {
            let xp = x.pointer(T.self), yp = y.pointer(T.self)
            let initial: T
            switch kind {
            case .reduceMax: initial = T.self == Float.self ? -Float.infinity as! T : T.self == Double.self ? -Double.infinity as! T : T(double: -Double.greatestFiniteMagnitude)
            case .reduceMin: initial = T.self == Float.self ? Float.infinity as! T : T.self == Double.self ? Double.infinity as! T : T(double: Double.greatestFiniteMagnitude)
            case .reduceProd: initial = T(double: 1)
            default: initial = T.zero
            }
            for i in 0..<y.count { yp[i] = initial }
            let n = loop.inner, sx = loop.innerStride(0), sy = loop.innerStride(1)
            let kind = self.kind
            loop.forEachRow { _, off in
                let px = xp + off[0], py = yp + off[1]
                for i in 0..<n {
                    let v = px[i * sx]
                    let o = i * sy
                    switch kind {
                    case .reduceMax: if v > py[o] || v != v { py[o] = v }
                    case .reduceMin: if v < py[o] || v != v { py[o] = v }
                    case .reduceProd: py[o] = T.mul(py[o], v)
                    default: py[o] = T.add(py[o], v)
                    }
                }
            }
            if kind == .reduceMean && reduced > 0 {
                let div = T(double: Double(reduced))
                for i in 0..<y.count { yp[i] = T.div(yp[i], div) }
            }
        }
    }
}
