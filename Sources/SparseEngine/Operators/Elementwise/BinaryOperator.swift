import Foundation

/// Two-input elementwise operators with multidirectional broadcasting: arithmetic
/// (`Add Sub Mul Div Pow PRelu Mod`), comparisons (`Equal Greater Less GreaterOrEqual
/// LessOrEqual`, bool output), logic (`And Or Xor`, bool inputs) and integer bit operations
/// (`BitwiseAnd BitwiseOr BitwiseXor BitShift`). float16 and bfloat16 are computed in float.
struct BinaryOperator: Operator {
    let kind: OpKind
    let c: OpContext
    private var flooredMod = true
    private var shiftLeft = true

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        if c.opset < 7, try c.optionalInt("broadcast") == 1, c.node.attributes["axis"] != nil {
            throw c.error(.unsupportedAttribute, "legacy broadcast with 'axis' is not supported; convert the model to opset 7 or later")
        }
        if kind == .mod { flooredMod = try c.int("fmod", 0) == 0 }
        if kind == .bitShift {
            let direction = try c.string("direction", "")
            guard direction == "LEFT" || direction == "RIGHT" else {
                throw c.error(.invalidModel, "attribute 'direction' must be LEFT or RIGHT, not '\(direction)'")
            }
            shiftLeft = direction == "LEFT"
        }
    }

    private var isComparison: Bool { [.equal, .greater, .less, .greaterOrEqual, .lessOrEqual].contains(kind) }
    private var isLogic: Bool { [.and, .or, .xor].contains(kind) }
    private var isBitwise: Bool { [.bitwiseAnd, .bitwiseOr, .bitwiseXor, .bitShift].contains(kind) }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let a = try c.required(inputs, 0), b = try c.required(inputs, 1)
        if kind == .prelu {
            // PRelu: slope broadcasts unidirectionally to X.
            guard broadcastShapes([a.shape, b.shape]) == a.shape else {
                throw c.error(.shapeMismatch, "slope shape \(b.shape) does not broadcast to input shape \(a.shape)")
            }
        }
        guard let shape = broadcastShapes([a.shape, b.shape]) else {
            throw c.error(.shapeMismatch, "input shapes \(a.shape) and \(b.shape) cannot be broadcast together")
        }
        if isLogic {
            try c.check(a.dataType, in: [.bool]); try c.check(b.dataType, in: [.bool])
            return [ValueSpec(.bool, shape)]
        }
        if isBitwise {
            try c.check(a.dataType, in: bitwiseTypes)
        } else if kind == .equal {
            try c.check(a.dataType, in: numericTypes + [.bool, .float16, .bfloat16])
        } else {
            try c.check(a.dataType, in: numericTypes + [.float16, .bfloat16])
        }
        if kind == .pow {
            try c.check(b.dataType, in: numericTypes + [.float16, .bfloat16], "exponent")
        } else if a.dataType != b.dataType {
            throw c.error(.invalidModel, "inputs have different types \(a.dataType) and \(b.dataType)")
        }
        return [ValueSpec(isComparison ? .bool : a.dataType, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        var a = inputs[0]!, b = inputs[1]!
        let out = outputs[0]
        if a.dataType == .float, b.dataType == .float, let op = F32BinaryOp(kind), out.count > 0,
           let aCount = leadingBroadcastCount(a.shape, into: out.shape), let bCount = leadingBroadcastCount(b.shape, into: out.shape) {
            f32Binary(op, a.pointer(Float.self), aCount: aCount, b.pointer(Float.self), bCount: bCount, out.pointer(Float.self),
                      count: out.count, pool: context.pool)
            return
        }
        if a.dataType == .float, b.dataType == .float, let op = F32BinaryOp(kind), out.count > 0 {
            if a.count == out.count, let rows = trailingBroadcastRows(b.shape, into: out.shape) {
                f32BinaryPerRow(op, full: a.pointer(Float.self), perRow: b.pointer(Float.self), perRowFirst: false, out.pointer(Float.self),
                                rows: rows, span: out.count / rows, pool: context.pool)
                return
            }
            if b.count == out.count, let rows = trailingBroadcastRows(a.shape, into: out.shape) {
                f32BinaryPerRow(op, full: b.pointer(Float.self), perRow: a.pointer(Float.self), perRowFirst: true, out.pointer(Float.self),
                                rows: rows, span: out.count / rows, pool: context.pool)
                return
            }
        }
        let loop = BroadcastLoop(outShape: out.shape, inputs: [a.shape, b.shape])
        if isLogic || (kind == .equal && a.dataType == .bool) {
            let op: (UInt8, UInt8) -> UInt8
            switch kind {
            case .and: op = { $0 & $1 }
            case .or: op = { $0 | $1 }
            case .xor: op = { $0 ^ $1 }
            default: op = { $0 == $1 ? 1 : 0 }
            }
            binaryLoop(loop, a.pointer(UInt8.self), b.pointer(UInt8.self), out.pointer(UInt8.self), op)
            return
        }
        if isBitwise {
            guard try BitKernel(loop: loop, kind: kind, shiftLeft: shiftLeft, a: a, b: b, out: out)(a.dataType) != nil else {
                throw c.error(.unsupportedDataType, "type \(a.dataType) is not supported")
            }
            return
        }
        if a.dataType == .float16 || a.dataType == .bfloat16 || b.dataType == .float16 || b.dataType == .bfloat16 {
            // Half-precision: widen to float, compute, narrow.
            a = try widened(a); b = try widened(b)
            let wide = out.dataType == .bool ? out : try Tensor(zeros: .float, shape: out.shape)
            try compute(loop, a, b, wide)
            if wide.dataType != out.dataType { try castTensor(wide, into: out) }
            return
        }
        try compute(loop, a, b, out)
    }

    private func widened(_ t: Tensor) throws -> Tensor {
        guard t.dataType == .float16 || t.dataType == .bfloat16 else { return t }
        let f = try Tensor(zeros: .float, shape: t.shape)
        try castTensor(t, into: f)
        return f
    }

    private func compute(_ loop: BroadcastLoop, _ a: Tensor, _ b: Tensor, _ out: Tensor) throws {
        if kind == .pow && a.dataType != b.dataType {
            // Mixed-type Pow: compute in Double.
            let x = try a.doubleValues(), y = try b.doubleValues()
            let r = UnsafeMutableBufferPointer<Double>.allocate(capacity: out.count)
            defer { r.deallocate() }
            x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in
                binaryLoop(loop, xp.baseAddress!, yp.baseAddress!, r.baseAddress!) { Foundation.pow($0, $1) }
            } }
            try writeDoubles(Array(r), to: out)
            return
        }
        guard try Kernel(loop: loop, kind: kind, flooredMod: flooredMod, a: a, b: b, out: out)(a.dataType) != nil else {
            throw c.error(.unsupportedDataType, "type \(a.dataType) is not supported")
        }
    }

    private struct Kernel: ArithmeticVisitor {
        let loop: BroadcastLoop, kind: OpKind, flooredMod: Bool, a: Tensor, b: Tensor, out: Tensor
        func visit<T: ArithmeticElement>(_ type: T.Type) throws {
            let pa = a.pointer(T.self), pb = b.pointer(T.self)
            switch kind {
            case .add: binaryLoop(loop, pa, pb, out.pointer(T.self), T.add)
            case .sub: binaryLoop(loop, pa, pb, out.pointer(T.self), T.sub)
            case .mul: binaryLoop(loop, pa, pb, out.pointer(T.self), T.mul)
            case .div: binaryLoop(loop, pa, pb, out.pointer(T.self), T.div)
            case .mod:
                let floored = flooredMod
                binaryLoop(loop, pa, pb, out.pointer(T.self)) { T.remainder($0, $1, floored: floored) }
            case .pow:
                if T.self == Float.self {
                    binaryLoop(loop, a.pointer(Float.self), b.pointer(Float.self), out.pointer(Float.self)) { x, y in
                        y == 2 ? x * x : (y == 1 ? x : powf(x, y))
                    }
                } else {
                    binaryLoop(loop, pa, pb, out.pointer(T.self)) { T(double: Foundation.pow($0.doubleValue, $1.doubleValue)) }
                }
            case .prelu: binaryLoop(loop, pa, pb, out.pointer(T.self)) { x, s in x < T.zero ? T.mul(x, s) : x }
            case .equal: binaryLoop(loop, pa, pb, out.pointer(UInt8.self)) { $0 == $1 ? 1 : 0 }
            case .greater: binaryLoop(loop, pa, pb, out.pointer(UInt8.self)) { $0 > $1 ? 1 : 0 }
            case .less: binaryLoop(loop, pa, pb, out.pointer(UInt8.self)) { $0 < $1 ? 1 : 0 }
            case .greaterOrEqual: binaryLoop(loop, pa, pb, out.pointer(UInt8.self)) { $0 >= $1 ? 1 : 0 }
            case .lessOrEqual: binaryLoop(loop, pa, pb, out.pointer(UInt8.self)) { $0 <= $1 ? 1 : 0 }
            default: fatalError("BinaryOperator: \(kind) is not arithmetic")
            }
        }
    }

    private struct BitKernel: IntegerVisitor {
        let loop: BroadcastLoop, kind: OpKind, shiftLeft: Bool, a: Tensor, b: Tensor, out: Tensor
        func visit<T: IntegerArithmeticElement>(_ type: T.Type) throws {
            let pa = a.pointer(T.self), pb = b.pointer(T.self), po = out.pointer(T.self)
            switch kind {
            case .bitwiseAnd: binaryLoop(loop, pa, pb, po) { $0 & $1 }
            case .bitwiseOr: binaryLoop(loop, pa, pb, po) { $0 | $1 }
            case .bitwiseXor: binaryLoop(loop, pa, pb, po) { $0 ^ $1 }
            default:
                let left = shiftLeft
                binaryLoop(loop, pa, pb, po) { left ? $0 << $1 : $0 >> $1 }
            }
        }
    }
}

/// Element types the bit operators take.
let bitwiseTypes: [DataType] = [.int64, .int32, .int16, .int8, .uint8, .uint16, .uint32, .uint64]

/// Applies `op` over two broadcast operands row by row, with fast paths for contiguous and
/// scalar inner strides.
@inline(__always)
func binaryLoop<T, U>(_ loop: BroadcastLoop, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ out: UnsafeMutablePointer<U>, _ op: (T, T) -> U) {
    let n = loop.inner, sa = loop.innerStride(0), sb = loop.innerStride(1)
    loop.forEachRow { o, off in
        let pa = a + off[0], pb = b + off[1], po = out + o
        if sa == 1 && sb == 1 {
            for i in 0..<n { po[i] = op(pa[i], pb[i]) }
        } else if sa == 1 && sb == 0 {
            let y = pb[0]
            for i in 0..<n { po[i] = op(pa[i], y) }
        } else if sa == 0 && sb == 1 {
            let x = pa[0]
            for i in 0..<n { po[i] = op(x, pb[i]) }
        } else {
            for i in 0..<n { po[i] = op(pa[i * sa], pb[i * sb]) }
        }
    }
}

/// Stores doubles into a numeric (or float16/bfloat16) tensor, converting to its element type.
func writeDoubles(_ values: [Double], to out: Tensor) throws {
    if out.dataType == .float16 || out.dataType == .bfloat16 {
        let d = out.pointer(UInt16.self), half = out.dataType == .float16
        for i in values.indices { d[i] = half ? floatToHalf(Float(values[i])) : floatToBFloat16(Float(values[i])) }
        return
    }
    struct Writer: ArithmeticVisitor {
        let values: [Double], out: Tensor
        func visit<T: ArithmeticElement>(_ type: T.Type) throws {
            let p = out.pointer(T.self)
            for i in values.indices { p[i] = T(double: values[i]) }
        }
    }
    guard try Writer(values: values, out: out)(out.dataType) != nil else {
        throw EngineError(.unsupportedDataType, "cannot store numbers in a \(out.dataType) tensor")
    }
}
