/// `Min Max Sum Mean`: any number of inputs, broadcast together, folded pairwise; float16
/// inputs are computed in float.
struct VariadicOperator: Operator {
    let kind: OpKind
    let c: OpContext

    init(_ kind: OpKind, _ c: OpContext) {
        self.kind = kind
        self.c = c
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let specs = inputs.compactMap { $0 }
        guard let first = specs.first else { throw c.error(.invalidModel, "needs at least one input") }
        try c.check(first.dataType, in: kind == .mean || kind == .sum ? [.float, .double, .float16, .int64, .int32] : numericTypes + [.float16])
        for s in specs where s.dataType != first.dataType {
            throw c.error(.invalidModel, "inputs have different types \(first.dataType) and \(s.dataType)")
        }
        guard let shape = broadcastShapes(specs.map(\.shape)) else {
            throw c.error(.shapeMismatch, "input shapes \(specs.map(\.shape)) cannot be broadcast together")
        }
        return [ValueSpec(first.dataType, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        var xs = inputs.compactMap { $0 }
        if outputs[0].dataType == .float16 {
            xs = try xs.map { x in
                let widened = try Tensor(zeros: .float, shape: x.shape)
                try castTensor(x, into: widened)
                return widened
            }
            let out = try Tensor(zeros: .float, shape: outputs[0].shape)
            try Kernel(kind: kind, xs: xs, out: out).visit(Float.self)
            try castTensor(out, into: outputs[0])
            return
        }
        guard try Kernel(kind: kind, xs: xs, out: outputs[0])(outputs[0].dataType) != nil else {
            throw c.error(.unsupportedDataType, "type \(outputs[0].dataType) is not supported")
        }
    }

    private struct Kernel: ArithmeticVisitor {
        let kind: OpKind, xs: [Tensor], out: Tensor
        func visit<T: ArithmeticElement>(_ type: T.Type) throws {
            let o = out.pointer(T.self)
            // A tensor against a scalar or a tensor of its shape (tf2onnx's clamps, Max(x, 0)): one flat loop.
            if (kind == .min || kind == .max), xs.count == 2, xs[0].shape == out.shape, xs[1].count == 1 || xs[1].shape == out.shape {
                let a = xs[0].pointer(T.self), b = xs[1].pointer(T.self), step = xs[1].shape == out.shape ? 1 : 0
                if kind == .max {
                    for i in 0..<out.count { o[i] = Swift.max(a[i], b[i * step]) }
                } else {
                    for i in 0..<out.count { o[i] = Swift.min(a[i], b[i * step]) }
                }
                return
            }
            // out = broadcast(x0)
            let first = BroadcastLoop(outShape: out.shape, inputs: [xs[0].shape, xs[0].shape])
            binaryLoop(first, xs[0].pointer(T.self), xs[0].pointer(T.self), o) { a, _ in a }
            for x in xs.dropFirst() {
                let loop = BroadcastLoop(outShape: out.shape, inputs: [out.shape, x.shape])
                switch kind {
                case .min: binaryLoop(loop, UnsafePointer(o), x.pointer(T.self), o) { Swift.min($0, $1) }
                case .max: binaryLoop(loop, UnsafePointer(o), x.pointer(T.self), o) { Swift.max($0, $1) }
                default: binaryLoop(loop, UnsafePointer(o), x.pointer(T.self), o, T.add)
                }
            }
            if kind == .mean {
                let n = T(double: Double(xs.count))
                for i in 0..<out.count { o[i] = T.div(o[i], n) }
            }
        }
    }
}

/// `Where(condition, X, Y)` with three-way broadcasting.
struct WhereOperator: Operator {
    let c: OpContext

    init(_ c: OpContext) { self.c = c }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let cond = try c.required(inputs, 0), x = try c.required(inputs, 1), y = try c.required(inputs, 2)
        try c.check(cond.dataType, in: [.bool], "condition")
        guard x.dataType == y.dataType else { throw c.error(.invalidModel, "X is \(x.dataType) but Y is \(y.dataType)") }
        guard let shape = broadcastShapes([cond.shape, x.shape, y.shape]) else {
            throw c.error(.shapeMismatch, "shapes \(cond.shape), \(x.shape) and \(y.shape) cannot be broadcast together")
        }
        return [ValueSpec(x.dataType, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let cond = inputs[0]!, x = inputs[1]!, y = inputs[2]!, out = outputs[0]
        let size = out.dataType.byteSize!
        let loop = BroadcastLoop(outShape: out.shape, inputs: [cond.shape, x.shape, y.shape])
        let n = loop.inner, sc = loop.innerStride(0), sx = loop.innerStride(1), sy = loop.innerStride(2)
        let pc = cond.pointer(UInt8.self), px = x.rawPointer, py = y.rawPointer, po = out.rawPointer
        loop.forEachRow { o, off in
            for i in 0..<n {
                let pick = pc[off[0] + i * sc] != 0
                let src = pick ? px + (off[1] + i * sx) * size : py + (off[2] + i * sy) * size
                (po + (o + i) * size).copyMemory(from: src, byteCount: size)
            }
        }
    }
}
