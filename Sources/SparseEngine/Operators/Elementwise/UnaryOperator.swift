import Foundation

/// One-input elementwise operators. Float and double math runs in parallel chunks (float16 and
/// bfloat16 through float); `Abs Neg Relu Sign Clip Shrink` also accept integer tensors; `Not` takes bool; `Clip` reads min/max from attributes
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
        case .elu, .celu: alpha = try c.float("alpha", 1.0)
        case .thresholdedRelu: alpha = try c.float("alpha", 1.0)
        case .selu: alpha = try c.float("alpha", 1.67326319217681884765625); beta = try c.float("gamma", 1.05070102214813232421875)
        case .shrink: alpha = try c.float("lambd", 0.5); beta = try c.float("bias", 0)
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
        case .abs, .neg, .relu, .sign, .clip, .shrink: try c.check(x.dataType, in: numericTypes + [.float16, .bfloat16])
        case .bitwiseNot: try c.check(x.dataType, in: bitwiseTypes)
        default: try c.check(x.dataType, in: [.float, .double, .float16, .bfloat16])
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
        if kind == .bitwiseNot {
            struct Not: IntegerVisitor {
                let x: Tensor, y: Tensor
                func visit<T: IntegerArithmeticElement>(_ type: T.Type) throws {
                    let s = x.pointer(T.self), d = y.pointer(T.self)
                    for i in 0..<x.count { d[i] = ~s[i] }
                }
            }
            _ = try Not(x: x, y: y)(x.dataType)
            return
        }
        switch x.dataType {
        case .float where [.exp, .erf, .sigmoid, .tanh].contains(kind) || (kind == .gelu && !tanhGelu): computeVectorized(x, y, context)
        case .float: try compute(Float.self, inputs, x, y, context)
        case .double: try compute(Double.self, inputs, x, y, context)
        case .float16, .bfloat16:
            // Half precision: widen to float, compute, narrow.
            let wide = try Tensor(zeros: .float, shape: x.shape), out = try Tensor(zeros: .float, shape: y.shape)
            try castTensor(x, into: wide)
            var widened = inputs
            widened[0] = wide
            try compute(Float.self, widened, wide, out, context)
            try castTensor(out, into: y)
        default:
            guard try IntegerKernel(kind: kind, c: c, inputs: inputs, x: x, y: y)(x.dataType) != nil else {
                throw c.error(.unsupportedDataType, "type \(x.dataType) is not supported")
            }
        }
    }

    /// Exp, Erf, Sigmoid, Tanh and exact Gelu on f32 through the instruction set's vector kernels, in parallel chunks.
    private func computeVectorized(_ x: Tensor, _ y: Tensor, _ context: KernelContext) {
        let src = x.pointer(Float.self), dst = y.pointer(Float.self)
        let count = x.count, chunk = 16384
        let kernels = context.kernels, kind = self.kind
        context.pool.parallelFor((count + chunk - 1) / chunk) { ci, _ in
            let start = ci * chunk, n = min(count, start + chunk) - start
            let s = src + start, d = dst + start
            switch kind {
            case .exp: kernels.exp(s, d, n)
            case .erf: kernels.erf(s, d, n)
            case .sigmoid:
                // 1 / (1 + e^−x), e^−x taken into d first.
                for i in 0..<n { d[i] = -s[i] }
                kernels.exp(d, d, n)
                for i in 0..<n { d[i] = 1 / (1 + d[i]) }
            case .tanh: f32Tanh(s, d, n, exp: kernels.exp)
            default: kernels.gelu(s, d, n)
            }
        }
    }

    /// The float and double forms, in parallel chunks.
    private func compute<T: FloatMath>(_ type: T.Type, _ inputs: [Tensor?], _ x: Tensor, _ y: Tensor, _ context: KernelContext) throws {
        var lo = T(clipMin), hi = T(clipMax)
        if kind == .clip && c.opset >= 11 {
            if inputs.count > 1, let m = inputs[1] { lo = T(try m.doubleValues().first ?? -Double.infinity) }
            if inputs.count > 2, let m = inputs[2] { hi = T(try m.doubleValues().first ?? Double.infinity) }
        }
        let src = x.pointer(T.self), dst = y.pointer(T.self)
        let count = x.count
        let chunk = 16384
        let chunks = (count + chunk - 1) / chunk
        let kind = self.kind, alpha = T(self.alpha), beta = T(self.beta), tanhGelu = self.tanhGelu
        context.pool.parallelFor(chunks) { ci, _ in
            let start = ci * chunk, end = min(count, start + chunk)
            let s = src + start, d = dst + start, n = end - start
            switch kind {
            case .relu: for i in 0..<n { d[i] = Swift.max(s[i], 0) }
            case .leakyRelu: for i in 0..<n { d[i] = s[i] < 0 ? alpha * s[i] : s[i] }
            case .clip: for i in 0..<n { d[i] = Swift.min(Swift.max(s[i], lo), hi) }
            case .sigmoid: for i in 0..<n { d[i] = 1 / (1 + T.exp(-s[i])) }
            case .hardSigmoid: for i in 0..<n { d[i] = Swift.max(0, Swift.min(1, alpha * s[i] + beta)) }
            case .hardSwish: for i in 0..<n { d[i] = s[i] * Swift.max(0, Swift.min(1, s[i] / 6 + 0.5)) }
            case .tanh: for i in 0..<n { d[i] = T.tanh(s[i]) }
            case .erf: for i in 0..<n { d[i] = T.erf(s[i]) }
            case .gelu:
                if tanhGelu {
                    let k = T((2.0 / Double.pi).squareRoot())
                    for i in 0..<n { let v = s[i]; d[i] = 0.5 * v * (1 + T.tanh(k * (v + 0.044715 * v * v * v))) }
                } else {
                    let k = T(0.5.squareRoot())
                    for i in 0..<n { d[i] = 0.5 * s[i] * (1 + T.erf(s[i] * k)) }
                }
            case .sqrt: for i in 0..<n { d[i] = s[i].squareRoot() }
            case .exp: for i in 0..<n { d[i] = T.exp(s[i]) }
            case .log: for i in 0..<n { d[i] = T.log(s[i]) }
            case .neg: for i in 0..<n { d[i] = -s[i] }
            case .abs: for i in 0..<n { d[i] = Swift.abs(s[i]) }
            case .reciprocal: for i in 0..<n { d[i] = 1 / s[i] }
            case .floor: for i in 0..<n { d[i] = s[i].rounded(.down) }
            case .ceil: for i in 0..<n { d[i] = s[i].rounded(.up) }
            case .round: for i in 0..<n { d[i] = s[i].rounded(.toNearestOrEven) }
            case .sign: for i in 0..<n { d[i] = s[i] > 0 ? 1 : (s[i] < 0 ? -1 : 0) }
            case .sin: for i in 0..<n { d[i] = T.sin(s[i]) }
            case .cos: for i in 0..<n { d[i] = T.cos(s[i]) }
            case .softplus: for i in 0..<n { d[i] = s[i] > 20 ? s[i] : T.log1p(T.exp(s[i])) }
            case .elu: for i in 0..<n { d[i] = s[i] < 0 ? alpha * (T.exp(s[i]) - 1) : s[i] }
            case .selu: for i in 0..<n { d[i] = beta * (s[i] <= 0 ? alpha * (T.exp(s[i]) - 1) : s[i]) }
            case .celu: for i in 0..<n { d[i] = Swift.max(0, s[i]) + Swift.min(0, alpha * (T.exp(s[i] / alpha) - 1)) }
            case .thresholdedRelu: for i in 0..<n { d[i] = s[i] > alpha ? s[i] : 0 }
            case .softsign: for i in 0..<n { d[i] = s[i] / (1 + Swift.abs(s[i])) }
            case .mish: for i in 0..<n { d[i] = s[i] * T.tanh(s[i] > 20 ? s[i] : T.log1p(T.exp(s[i]))) }
            case .shrink: for i in 0..<n { d[i] = s[i] < -alpha ? s[i] + beta : (s[i] > alpha ? s[i] - beta : 0) }
            case .tan: for i in 0..<n { d[i] = T.tan(s[i]) }
            case .asin: for i in 0..<n { d[i] = T.asin(s[i]) }
            case .acos: for i in 0..<n { d[i] = T.acos(s[i]) }
            case .atan: for i in 0..<n { d[i] = T.atan(s[i]) }
            case .sinh: for i in 0..<n { d[i] = T.sinh(s[i]) }
            case .cosh: for i in 0..<n { d[i] = T.cosh(s[i]) }
            case .asinh: for i in 0..<n { d[i] = T.asinh(s[i]) }
            case .acosh: for i in 0..<n { d[i] = T.acosh(s[i]) }
            case .atanh: for i in 0..<n { d[i] = T.atanh(s[i]) }
            default: break
            }
        }
    }

    /// The integer forms of Abs, Neg, Relu, Sign, Clip and Shrink.
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
            case .shrink:
                let lambd = T(double: Double(try c.float("lambd", 0.5))), bias = T(double: Double(try c.float("bias", 0)))
                let negativeLambd = T(double: -Double(try c.float("lambd", 0.5)))
                for i in 0..<n { d[i] = s[i] < negativeLambd ? T.add(s[i], bias) : (s[i] > lambd ? T.sub(s[i], bias) : T.zero) }
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

/// `IsNaN` and `IsInf` (`detect_positive`, `detect_negative`): a bool per float element.
struct FloatClassOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let positive: Bool, negative: Bool

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        positive = try c.int("detect_positive", 1) != 0
        negative = try c.int("detect_negative", 1) != 0
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        try c.check(x.dataType, in: [.float, .double, .float16])
        return [ValueSpec(.bool, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let values = try inputs[0]!.doubleValues(), d = outputs[0].pointer(UInt8.self)
        for (i, v) in values.enumerated() {
            let hit = kind == .isNaN ? v.isNaN : v.isInfinite && (v > 0 ? positive : negative)
            d[i] = hit ? 1 : 0
        }
    }
}
