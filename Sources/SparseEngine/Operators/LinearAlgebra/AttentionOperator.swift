/// `zoo.Attention(q, q_shape, k, k_shape, v, v_shape, output_shape[, mask])`, attribute `scale`: scaled dot-product
/// attention over heads, the form `AttentionFusion` gives to a transformer's Reshape → Transpose → (scale) →
/// MatMul(Q, Kᵀ) (+ mask) → Softmax → MatMul(·, V) → Transpose → Reshape.
///
/// `q`, `k` and `v` are read as `Reshape(x, x_shape)`: Q [B, T, H, D], K [B, S, H, D] and V [B, S, H, E], tokens by
/// heads, as the linear layers wrote them. For each image b and head h,
/// `P = softmax(scale · Q_bh · K_bhᵀ + mask)` over the keys (mask broadcast to [B, H, T, S]) and `O_bh = P · V_bh`,
/// written at O [B, T, H, E]; the output is `Reshape(O, output_shape)`. No head is ever transposed or copied:
/// each is a strided view of the projection it came from, and a head's scores stay in the thread's scratch.
/// Tasks are (image, head, block of 128 queries), each a pair of single-thread GEMMs (`serialSgemm`).
struct AttentionOperator: Operator {
    /// The op type, in the engine's own domain (`OperatorRegistry.internalDomain`).
    static let opType = "Attention"
    /// Queries per task: a block's scores (128 × keys) stay in L2.
    static let queryBlock = 128

    let c: OpContext
    let scale: Float
    var planTimeInputs: [Int] { [1, 3, 5, 6] }

    init(_ c: OpContext) throws {
        self.c = c
        scale = try c.float("scale", 1)
    }

    /// Q, K and V as [B, tokens, H, D], checked against each other.
    private func operandShapes(_ inputs: [ValueSpec?]) throws -> (q: [Int], k: [Int], v: [Int]) {
        var shapes: [[Int]] = []
        for (x, shape, what) in [(0, 1, "Q"), (2, 3, "K"), (4, 5, "V")] {
            let spec = try c.required(inputs, x, what)
            try c.check(spec.dataType, in: [.float], what)
            guard let requested = try c.knownInts(try c.required(inputs, shape, "\(what) shape"), "\(what) shape") else {
                throw c.error(.invalidModel, "the \(what) shape input is required")
            }
            let heads = try reshapedShape(spec.shape, to: requested, allowZero: false, c)
            guard heads.count == 4 else { throw c.error(.shapeMismatch, "\(what) must reshape to [batch, tokens, heads, size], not \(heads)") }
            shapes.append(heads)
        }
        let (q, k, v) = (shapes[0], shapes[1], shapes[2])
        guard q[0] == k[0], q[0] == v[0], q[2] == k[2], q[2] == v[2], q[3] == k[3], k[1] == v[1] else {
            throw c.error(.shapeMismatch, "attention operands do not match: Q \(q), K \(k), V \(v)")
        }
        return (q, k, v)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let (q, k, v) = try operandShapes(inputs)
        if inputs.count > 7, let mask = inputs[7] {
            try c.check(mask.dataType, in: [.float], "mask")
            let scores = [q[0], q[2], q[1], k[1]]
            guard mask.shape.count <= 4, broadcastShapes([scores, mask.shape]) == scores else {
                throw c.error(.shapeMismatch, "the mask \(mask.shape) does not broadcast to the scores \(scores)")
            }
        }
        guard let requested = try c.knownInts(try c.required(inputs, 6, "output shape"), "output shape") else {
            throw c.error(.invalidModel, "the output shape input is required")
        }
        return [ValueSpec(.float, try reshapedShape([q[0], q[1], q[2], v[3]], to: requested, allowZero: false, c))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let qShape = try reshapedShape(inputs[0]!.shape, to: try inputs[1]!.intValues(), allowZero: false, c)
        let (batch, queries, heads, size) = (qShape[0], qShape[1], qShape[2], qShape[3])
        guard outputs[0].count > 0 else { return }
        guard batch * heads * size > 0, inputs[2]!.count > 0 else {
            outputs[0].pointer(Float.self).update(repeating: 0, count: outputs[0].count)
            return
        }
        let keys = inputs[2]!.count / (batch * heads * size), valueSize = inputs[4]!.count / (batch * keys * heads)
        let q = inputs[0]!.pointer(Float.self), k = inputs[2]!.pointer(Float.self), v = inputs[4]!.pointer(Float.self)
        let y = outputs[0].pointer(Float.self)
        let mask = inputs.count > 7 ? inputs[7] : nil
        let maskStrides = mask.map { broadcastStrides($0.shape, to: [batch, heads, queries, keys]) }
        let maskPointer = mask?.pointer(Float.self)
        let config = context.kernels, scale = scale
        let blocks = (queries + Self.queryBlock - 1) / Self.queryBlock
        let rowsMax = min(queries, Self.queryBlock)
        let gemmScratch = max(serialSgemmScratchCount(m: rowsMax, k: size, config: config),
                              serialSgemmScratchCount(m: rowsMax, k: keys, config: config))
        context.pool.parallelFor(batch * heads * blocks) { task, thread in
            let b = task / (heads * blocks), h = task / blocks % heads, i0 = task % blocks * Self.queryBlock
            let rows = min(Self.queryBlock, queries - i0)
            let scores = context.scratchFloats(thread: thread, rowsMax * keys + gemmScratch), scratch = scores + rowsMax * keys
            let qRows = q + ((b * queries + i0) * heads + h) * size
            serialSgemm(m: rows, n: keys, k: size, alpha: scale, a: qRows, lda: heads * size,
                        b: k + (b * keys * heads + h) * size, ldb: heads * size, transB: true,
                        c: scores, ldc: keys, config: config, scratch: scratch)
            for i in 0..<rows {
                let row = scores + i * keys
                if let maskPointer, let s = maskStrides {
                    let maskRow = maskPointer + b * s[0] + h * s[1] + (i0 + i) * s[2]
                    if s[3] == 1 {
                        for j in 0..<keys { row[j] += maskRow[j] }
                    } else {
                        for j in 0..<keys { row[j] += maskRow[0] }
                    }
                }
                config.softmax(row, row, keys)
            }
            serialSgemm(m: rows, n: valueSize, k: keys, alpha: 1, a: scores, lda: keys,
                        b: v + (b * keys * heads + h) * valueSize, ldb: heads * valueSize, transB: false,
                        c: y + ((b * queries + i0) * heads + h) * valueSize, ldc: heads * valueSize,
                        config: config, scratch: scratch)
        }
    }
}
