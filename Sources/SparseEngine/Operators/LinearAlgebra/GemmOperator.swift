/// `Gemm`: `Y = alpha·op(A)·op(B) + beta·C` with `transA`/`transB`, C broadcast
/// unidirectionally to [M, N] and optional since opset 11; a fused activation is applied last.
/// A Gemm whose B `SparseWeightSelection` compressed runs on `spmm`.
struct GemmOperator: Operator {
    let c: OpContext
    let alpha: Float, beta: Float
    let transA: Bool, transB: Bool
    let activation: FusedActivation
    /// B's dense shape when B holds `SparseWeights`.
    let sparseWeightShape: [Int]?

    init(_ c: OpContext) throws {
        self.c = c
        alpha = try c.float("alpha", 1)
        beta = try c.float("beta", 1)
        transA = try c.int("transA", 0) != 0
        transB = try c.int("transB", 0) != 0
        activation = try FusedActivation(c)
        sparseWeightShape = try c.ints(SparseWeightSelection.shapeAttribute)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let a = try c.required(inputs, 0, "A"), stored = try c.required(inputs, 1, "B")
        try c.check(a.dataType, in: floatTypes)
        if sparseWeightShape == nil { try c.check(stored.dataType, in: floatTypes, "B") }
        let b = ValueSpec(.float, sparseWeightShape ?? stored.shape)
        guard a.shape.count == 2, b.shape.count == 2 else {
            throw c.error(.shapeMismatch, "A \(a.shape) and B \(b.shape) must both be 2-D")
        }
        let m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1]
        let kb = transB ? b.shape[1] : b.shape[0], n = transB ? b.shape[0] : b.shape[1]
        guard k == kb else {
            throw c.error(.shapeMismatch, "inner dimensions differ: A \(a.shape) (transA=\(transA ? 1 : 0)) and B \(b.shape) (transB=\(transB ? 1 : 0))")
        }
        if inputs.count > 2, let cs = inputs[2], broadcastShapes([cs.shape, [m, n]]) != [m, n] {
            throw c.error(.shapeMismatch, "C shape \(cs.shape) does not broadcast to [\(m), \(n)]")
        }
        return [ValueSpec(.float, [m, n])]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let a = inputs[0]!, b = inputs[1]!, y = outputs[0]
        let m = y.shape[0], n = y.shape[1]
        let k = transA ? a.shape[0] : a.shape[1]
        let yp = y.pointer(Float.self)
        var accumulate: Float = 0
        if inputs.count > 2, let cTensor = inputs[2], beta != 0 {
            let loop = BroadcastLoop(outShape: [m, n], inputs: [cTensor.shape, cTensor.shape])
            let beta = self.beta
            binaryLoop(loop, cTensor.pointer(Float.self), cTensor.pointer(Float.self), yp) { v, _ in beta * v }
            accumulate = 1
        }
        if sparseWeightShape != nil {
            guard let weights = SparseWeights(b) else { throw c.error(.internalError, "the compressed weight is malformed") }
            let operands = LinearSpMMOperands(x: a.pointer(Float.self), y: yp, tokens: m, k: k, n: n, bias: nil,
                                              addend: accumulate != 0 ? UnsafePointer(yp) : nil, activation: activation,
                                              transpose: context.kernels.transpose)
            sparseLinear(weights, operands, context: context)
            return
        }
        sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
              a: a.pointer(Float.self), lda: a.shape[1], b: b.pointer(Float.self), ldb: b.shape[1],
              beta: accumulate, c: yp, ldc: n, context: context)
        activation.apply(yp, m * n)
    }
}

/// `MatMul` with numpy semantics: 1-D operands are promoted and the added axis removed,
/// batch axes broadcast. A 2-D right operand turns the whole batch into one GEMM; a batch of small products
/// (attention's per-head ones) runs as `sgemmBatched`, one product per task. An Add folded in by
/// `AddFusion` (input #2, typically the bias of a linear layer), a fused activation and a fused GELU
/// (`GeluEpilogueFusion`) follow the product: in its epilogue when the Add is a bias per output feature and B is 2-D,
/// in passes over the output otherwise. A second Add folded in after a bias (input #3, a transformer's residual
/// connection, `FusedAdd.residualAttribute`) is added by the sparse kernels' transposed store when it has the output's
/// shape, in a pass otherwise. A MatMul whose constant 2-D B `SparseWeightSelection` compressed runs on `spmm`,
/// and may read or write its activations feature-major (`FeatureMajorHandoff`).
struct MatMulOperator: Operator {
    let c: OpContext
    let activation: FusedActivation
    let fusedAdd: Bool
    /// Whether input #3 is a fused residual, added after the bias.
    let fusedResidual: Bool
    let gelu: Bool
    /// B's dense shape when B holds `SparseWeights`.
    let sparseWeightShape: [Int]?
    /// How A and Y lie in memory: feature-major only out of and into sparse linear layers (`FeatureMajorHandoff`).
    let inputLayout: ActivationLayout, outputLayout: ActivationLayout

    init(_ c: OpContext) throws {
        self.c = c
        activation = try FusedActivation(c)
        fusedAdd = try FusedAdd.isPresent(c)
        fusedResidual = try c.int(FusedAdd.residualAttribute, 0) != 0
        gelu = try c.int(GeluEpilogueFusion.attribute, 0) != 0
        sparseWeightShape = try c.ints(SparseWeightSelection.shapeAttribute)
        func layout(_ attribute: String) throws -> ActivationLayout {
            guard let layout = ActivationLayout(rawValue: try c.int(attribute, 0)) else {
                throw c.error(.internalError, "\(attribute) names no activation layout")
            }
            return layout
        }
        inputLayout = try layout(FeatureMajorHandoff.inputAttribute)
        outputLayout = try layout(FeatureMajorHandoff.outputAttribute)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let a = try c.required(inputs, 0), stored = try c.required(inputs, 1)
        try c.check(a.dataType, in: floatTypes)
        if sparseWeightShape == nil { try c.check(stored.dataType, in: floatTypes, "B") }
        let b = ValueSpec(.float, sparseWeightShape ?? stored.shape)
        let output = try matMulShape(a.shape, b.shape, c)
        if fusedAdd { try FusedAdd.check(try c.required(inputs, 2, "fused Add operand"), into: output, c) }
        if fusedResidual { try FusedAdd.check(try c.required(inputs, 3, "fused residual"), into: output, c) }
        return [ValueSpec(.float, output)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let a = inputs[0]!, y = outputs[0], bShape = sparseWeightShape ?? inputs[1]!.shape
        // A bias per output feature is added with the product (by the sparse kernel or in the GEMM's epilogue), and a
        // residual of the output's shape by the sparse kernel's token-major store; any other fused Add needs a pass over
        // the output, and the activation and GELU then come after it.
        let bias = fusedAdd && bShape.count == 2 ? FusedAdd.featureBias(inputs[2]!, features: bShape[1]) : nil
        let residual = fusedResidual ? inputs[3]! : nil
        let residualInProduct = residual.map { $0.shape == y.shape && sparseWeightShape != nil && outputLayout == .tokenMajor } ?? true
        let finishedInProduct = bShape.count == 2 && (!fusedAdd || bias != nil) && residualInProduct
        let geluPass = GemmEpilogue(bias: nil, activation: .none, gelu: gelu, kernels: context.kernels)
        if let shape = sparseWeightShape {
            guard let weights = SparseWeights(inputs[1]!) else { throw c.error(.internalError, "the compressed weight is malformed") }
            guard finishedInProduct || outputLayout == .tokenMajor else {
                throw c.error(.internalError, "a feature-major output needs its fused Add to be a bias per feature")
            }
            var operands = LinearSpMMOperands(x: a.pointer(Float.self), y: y.pointer(Float.self), tokens: a.count / shape[0],
                                              k: shape[0], n: shape[1], bias: bias,
                                              addend: residualInProduct ? residual.map { UnsafePointer($0.pointer(Float.self)) } : nil,
                                              activation: finishedInProduct ? activation : .none,
                                              transpose: context.kernels.transpose)
            (operands.inputLayout, operands.outputLayout) = (inputLayout, outputLayout)
            operands.panelWidth = context.kernels.spmmPixels
            // Feature-major rows get the GELU as the kernel finishes them; token-major output in a pass after.
            if outputLayout.isFeatureMajor { operands.gelu = geluPass?.gelu }
            sparseLinear(weights, operands, context: context)
            if finishedInProduct {
                if outputLayout == .tokenMajor {
                    geluPass?.apply(toWhole: y.pointer(Float.self), ldc: shape[1], m: y.count / shape[1], n: shape[1], pool: context.pool)
                }
                return
            }
        } else {
            let epilogue = GemmEpilogue(bias: bias, activation: finishedInProduct ? activation : .none, gelu: finishedInProduct && gelu,
                                        kernels: context.kernels)
            multiply(inputs, outputs, epilogue: epilogue, context)
            if finishedInProduct { return }
        }
        // The Adds the product did not make, then the activation with the last of them.
        let pending = (fusedAdd && bias == nil ? [inputs[2]!] : []) + (residualInProduct ? [] : [residual!])
        for (i, addend) in pending.enumerated() { FusedAdd.finish(y, addend, i == pending.count - 1 ? activation : .none, context) }
        if pending.isEmpty { activation.apply(y.pointer(Float.self), y.count) }
        let rowLength = max(1, y.shape.last ?? 1)
        geluPass?.apply(toWhole: y.pointer(Float.self), ldc: rowLength, m: y.count / rowLength, n: rowLength, pool: context.pool)
    }

    /// The product, for a B of any rank; a 2-D B's GEMM finishes its tiles with `epilogue` (nil for the others).
    private func multiply(_ inputs: [Tensor?], _ outputs: [Tensor], epilogue: GemmEpilogue?, _ context: KernelContext) {
        let a = inputs[0]!, b = inputs[1]!, y = outputs[0]
        let sa = a.shape.count == 1 ? [1] + a.shape : a.shape
        let sb = b.shape.count == 1 ? b.shape + [1] : b.shape
        let m = sa[sa.count - 2], k = sa[sa.count - 1], n = sb[sb.count - 1]
        let ap = a.pointer(Float.self), bp = b.pointer(Float.self), yp = y.pointer(Float.self)
        if sb.count == 2 {
            let rows = sa.dropLast().reduce(1, *)
            sgemm(transA: false, transB: false, m: rows, n: n, k: k, alpha: 1, a: ap, lda: k, b: bp, ldb: n,
                  beta: 0, c: yp, ldc: n, epilogue: epilogue, context: context)
            return
        }
        let pairs = matMulBatchPairs(a.shape, b.shape)
        let macs = m * n * k
        if pairs.count >= context.pool.threadCount && m >= GemmPlan.smallRows && macs <= GemmPlan.batchedProductLimit {
            let operands = pairs.map { ia, ib -> (a: UnsafePointer<Float>, b: UnsafePointer<Float>) in (UnsafePointer(ap + ia * m * k), UnsafePointer(bp + ib * k * n)) }
            sgemmBatched(operands, m: m, n: n, k: k, c: yp, context: context)
            return
        }
        for (i, (ia, ib)) in pairs.enumerated() {
            sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1,
                  a: ap + ia * m * k, lda: k, b: bp + ib * k * n, ldb: n,
                  beta: 0, c: yp + i * m * n, ldc: n, context: context)
        }
    }
}

/// The output shape of numpy-style matrix multiplication (MatMul and its integer and
/// quantized forms): 1-D operands promoted and the added axis removed, batch axes broadcast.
func matMulShape(_ a: [Int], _ b: [Int], _ c: OpContext) throws -> [Int] {
    guard !a.isEmpty, !b.isEmpty else { throw c.error(.shapeMismatch, "matrix multiplication inputs must not be scalars") }
    let sa = a.count == 1 ? [1] + a : a
    let sb = b.count == 1 ? b + [1] : b
    guard sa[sa.count - 1] == sb[sb.count - 2] else {
        throw c.error(.shapeMismatch, "inner dimensions differ: \(a) × \(b)")
    }
    guard let batch = broadcastShapes([Array(sa.dropLast(2)), Array(sb.dropLast(2))]) else {
        throw c.error(.shapeMismatch, "batch dimensions of \(a) and \(b) cannot be broadcast")
    }
    var shape = batch + [sa[sa.count - 2], sb[sb.count - 1]]
    if b.count == 1 { shape.removeLast() }
    if a.count == 1 { shape.remove(at: shape.count - (b.count == 1 ? 1 : 2)) }
    return shape
}

/// For each matrix of a batched product of shapes `a` × `b` (as in `matMulShape`), the index
/// of the left and right operand matrix, in output order.
func matMulBatchPairs(_ a: [Int], _ b: [Int]) -> [(Int, Int)] {
    let sa = a.count == 1 ? [1] + a : a
    let sb = b.count == 1 ? b + [1] : b
    let batchA = Array(sa.dropLast(2)), batchB = Array(sb.dropLast(2))
    guard let batch = broadcastShapes([batchA, batchB]) else { return [] }
    let loop = BroadcastLoop(outShape: batch, inputs: [batchA, batchB])
    var pairs: [(Int, Int)] = []
    loop.forEachRow { _, off in
        for i in 0..<loop.inner { pairs.append((off[0] + i * loop.innerStride(0), off[1] + i * loop.innerStride(1))) }
    }
    return pairs
}
