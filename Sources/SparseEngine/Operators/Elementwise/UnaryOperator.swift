import Foundation

/// One-input elementwise operators. Float math runs in parallel chunks; `Abs Neg Relu Sign`
/// also accept integer tensors; `Not` takes bool; `Clip` reads min/max from attributes
/// (opset < 11) or optional inputs (opset ≥ 11).
struct UnaryOperator: Operator {
    let kind: OpKind
    let c: OpContext
    private var alpha: Float = 0
    private var beta: Float = 0
    private var clipMin = -Float.infinity
    private var clipMax = Float.infinity
    private var tanhGelu = false

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        switch kind {
        case .leakyRelu: alpha = try c.float("alpha", 0.01)
        case .hardSigmoid: alpha = try c.float("alpha", 0.2); beta = try c.float("beta", 0.5)
        case .elu: alpha = try c.float("alpha", 1.0)
        case .clip where c.opset < 11:
            clipMin = try c.float("min", -Float.infinity)
            clipMax = try c.float("max", Float.infinity)
        case .gelu:
            let mode = try c.string("approximate", "none")
            guard mode == "none" || mode == "tanh" else {
                throw c.error(.unsupportedAttribute, "approximate='\(mode)' is not supported (use 'none' or 'tanh')")
            }
            tanhGelu = mode == "tanh"
        default: break
        }
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        switch kind {
        case .not: try c.check(x.dataType, in: [.bool])
        case .abs, .neg, .relu, .sign, .clip: try c.check(x.dataType, in: numericTypes)
        default: try c.check(x.dataType, in: [.float])
        }
        return [ValueSpec(x.dataType, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        if kind == .not {
            let src = x.pointer(UInt8.self), dst = y.pointer(UInt8.self)
            for i in 0..<x.count { dst[i] = src[i] == 0 ? 1 : 0 }
            return
        }
        if x.dataType != .float {
            guard try IntegerKernel(kind: kind, c: c, inputs: inputs, x: x, y: y)(x.dataType) != nil else {
                throw c.error(.unsupportedDataType, "type \(x.dataType) is not supported")
            }
            return
        }
        var lo = clipMin, hi = clipMax
        if kind == .clip && c.opset >= 11 {
            if inputs.count > 1, let m = inputs[1] { lo = Float(try m.doubleValues().first ?? -Double.infinity) }
            if inputs.count > 2, let m = inputs[2] { hi = Float(try m.doubleValues().first ?? Double.infinity) }
        }
        let src = x.pointer(Float.self), dst = y.pointer(Float.self)
        let count = x.count
        let chunk = 16384
        let chunks = (count + chunk - 1) / chunk
        let kind = self.kind, alpha = self.alpha, beta = self.beta, tanhGelu = self.tanhGelu
        context.pool.parallelFor(chunks) { ci, _ in
            let start = ci * chunk, end = min(count, start + chunk)
            let s = src + start, d = dst + start, n = end - start
            switch kind {
            case .relu: for i in 0..<n { d[i] = Swift.max(s[i], 0) }
            case .leakyRelu: for i in 0..<n { d[i] = s[i] < 0 ? alpha * s[i] : s[i] }
            case .clip: for i in 0..<n { d[i] = Swift.min(Swift.max(s[i], lo), hi) }
            case .sigmoid: for i in 0..<n { d[i] = 1 / (1 + expf(-s[i])) }
            case .hardSigmoid: for i in 0..<n { d[i] = Swift.max(0, Swift.min(1, alpha * s[i] + beta)) }
            case .hardSwish: for i in 0..<n { d[i] = s[i] * Swift.max(0, Swift.min(1, s[i] / 6 + 0.5)) }
            case .tanh: for i in 0..<n { d[i] = tanhf(s[i]) }
            case .erf: for i in 0..<n { d[i] = erff(s[i]) }
            case .gelu:
                if tanhGelu {
                    let k = Float((2.0 / Double.pi).squareRoot())
                    for i in 0..<n { let v = s[i]; d[i] = 0.5 * v * (1 + tanhf(k * (v + 0.044715 * v * v * v))) }
                } else {
                    for i in 0..<n { d[i] = 0.5 * s[i] * (1 + erff(s[i] * Float(0.5.squareRoot()))) }
                }
            case .sqrt: for i in 0..<n { d[i] = s[i].squareRoot() }
            case .exp: for i in 0..<n { d[i] = expf(s[i]) }
            case .log: for i in 0..<n { d[i] = logf(s[i]) }
            case .neg: for i in 0..<n { d[i] = -s[i] }
            case .abs: for i in 0..<n { d[i] = Swift.abs(s[i]) }
            case .reciprocal: for i in 0..<n { d[i] = 1 / s[i] }
            case .floor: for i in 0..<n { d[i] = s[i].rounded(.down) }
            case .ceil: for i in 0..<n { d[i] = s[i].rounded(.up) }
            case .round: for i in 0..<n { d[i] = s[i].rounded(.toNearestOrEven) }
            case .sign: for i in 0..<n { d[i] = s[i] > 0 ? 1 : (s[i] < 0 ? -1 : 0) }
            case .sin: for i in 0..<n { d[i] = sinf(s[i]) }
            case .cos: for i in 0..<n { d[i] = cosf(s[i]) }
            case .softplus: for i in 0..<n { d[i] = s[i] > 20 ? s[i] : log1pf(expf(s[i])) }
            case .elu: for i in 0..<n { d[i] = s[i] < 0 ? alpha * (expf(s[i]) - 1) : s[i] }
            default: break
            }
        }
    }

    /// The integer forms of Abs, Neg, Relu, Sign and Clip (computed through Double for Clip bounds).
    private struct IntegerKernel: ArithmeticVisitor {
        let kind: OpKind, c: OpContext, inputs: [Tensor?], x: Tensor, y: Tensor
        func visit<T: ArithmeticElement>(_ type: T.Type) throws {
            let s = x.pointer(T.self), d = y.pointer(T.self)
            let n = x.count
            switch kind {
            case .abs: for i in 0..<n { d[i] = s[i] < T.zero ? T.sub(T.zero, s[i]) : s[i] }
            case .neg: for i in 0..<n { d[i] = T.sub(T.zero, s[i]) }
            case .relu: for i in 0..<n { d[i] = s[i] < T.zero ? T.zero : s[i] }
            case .sign: for i in 0..<n { d[i] = s[i] > T.zero ? T(double: 1) : (s[i] < T.zero ? T(double: -1) : T.zero) }
            case .clip:
                var lo: T? = nil, hi: T? = nil
                if c.opset < 11 {
                    if let v = try c.optionalFloat("min") { lo = T(double: Double(v)) }
                    if let v = try c.optionalFloat("max") { hi = T(double: Double(v)) }
                } else {
                    if inputs.count > 1, let m = inputs[1] { lo = m.pointer(T.self)[0] }
                    if inputs.count > 2, let m = inputs[2] { hi = m.pointer(T.self)[0] }
                }
                for i in 0..<n {
                    var v = s[i]
                    if let lo, v < lo { v = lo }
                    if let hi, v > hi { v = hi }
                    d[i] = v
                }
            default:
                throw c.error(.unsupportedDataType, "type \(x.dataType) is not supported")
            }
        }
    }
}
