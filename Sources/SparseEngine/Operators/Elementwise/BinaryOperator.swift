import Foundation

/// Two-input elementwise operators with multidirectional broadcasting: arithmetic
/// (`Add Sub Mul Div Pow PRelu`), comparisons (`Equal Greater Less GreaterOrEqual LessOrEqual`,
/// bool output) and logic (`And Or Xor`, bool inputs).
struct BinaryOperator: Operator {
    let kind: OpKind
    let c: OpContext

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        if c.opset < 7, try c.optionalInt("broadcast") == 1, c.node.attributes["axis"] != nil {
            throw c.error(.unsupportedAttribute, "legacy broadcast with 'axis' is not supported; convert the model to opset 7 or later")
        }
    }

    private var isComparison: Bool { [.equal, .greater, .less, .greaterOrEqual, .lessOrEqual].contains(kind) }
    private var isLogic: Bool { [.and, .or, .xor].contains(kind) }

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
        try c.check(a.dataType, in: numericTypes)
        if kind == .pow {
            try c.check(b.dataType, in: numericTypes, "exponent")
        } else if a.dataType != b.dataType {
            throw c.error(.invalidModel, "inputs have different types \(a.dataType) and \(b.dataType)")
        }
        if kind == .equal, a.dataType == .bool { return [ValueSpec(.bool, shape)] }
        return [ValueSpec(isComparison ? .bool : a.dataType, shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let a = inputs[0]!, b = inputs[1]!, out = outputs[0]
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
        guard try Kernel(loop: loop, kind: kind, a: a, b: b, out: out)(a.dataType) != nil else {
            throw c.error(.unsupportedDataType, "type \(a.dataType) is not supported")
        }
    }

    private struct Kernel: ArithmeticVisitor {
        let loop: BroadcastLoop, kind: OpKind, a: Tensor, b: Tensor, out: Tensor
        func visit<T: ArithmeticElement>(_ type: T.Type) throws {
            let pa = a.pointer(T.self), pb = b.pointer(T.self)
            switch kind {
            case .add: binaryLoop(loop, pa, pb, out.pointer(T.self), T.add)
            case .sub: binaryLoop(loop, pa, pb, out.pointer(T.self), T.sub)
            case .mul: binaryLoop(loop, pa, pb, out.pointer(T.self), T.mul)
            case .div: binaryLoop(loop, pa, pb, out.pointer(T.self), T.div)
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
            default: fatalError("BinaryOperator: \(kind) is not binary")
            }
        }
    }
}

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

/// Stores doubles into a numeric tensor, converting to its element type.
func writeDoubles(_ values: [Double], to out: Tensor) throws {
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
