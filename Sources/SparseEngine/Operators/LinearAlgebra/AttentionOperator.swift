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
///
/// A sparse projection may hand its result over feature-major (`FeatureMajorHandoff`, marked per operand in
/// `zoo.feature_major_operands`): [H·D, B·T], each head's rows contiguous, read by the GEMMs with the other
/// orientation instead of transposed in between.
struct AttentionOperator: Operator {
    /// The op type, in the engine's own domain (`OperatorRegistry.internalDomain`).
    static let opType = "Attention"
    /// Flags (Q, K, V) of the operands that arrive feature-major.
    static let featureMajorAttribute = "zoo.feature_major_operands"
    /// Queries per task: a block's scores (128 × keys) stay in L2.
    static let queryBlock = 128

    let c: OpContext
    let scale: Float
    /// Whether Q, K and V arrive feature-major.
    let featureMajor: [Bool]
    var planTimeInputs: [Int] { [1, 3, 5, 6] }

    init(_ c: OpContext) throws {
        self.c = c
        scale = try c.float("scale", 1)
        let flags = try c.ints(Self.featureMajorAttribute) ?? []
        featureMajor = (0..<3).map { $0 < flags.count && flags[$0] != 0 }
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
        // K and V may share one image or one head among all (broadcast, as the MatMuls would): multi-query attention.
        func spans(_ x: [Int], _ axis: Int) -> Bool { x[axis] == q[axis] || x[axis] == 1 }
        guard spans(k, 0), spans(v, 0), spans(k, 2), spans(v, 2), q[3] == k[3], k[1] == v[1] else {
            throw c.error(.shapeMismatch, "attention operands do not match: Q \(q), K \(k), V \(v) as [batch, tokens, heads, size]")
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
        let shapes = try [1, 3, 5].map { try reshapedShape(inputs[$0 - 1]!.shape, to: try inputs[$0]!.intValues(), allowZero: false, c) }
        let (batch, queries, heads, size) = (shapes[0][0], shapes[0][1], shapes[0][2], shapes[0][3])
        let keys = shapes[1][1], valueSize = shapes[2][3]
        guard outputs[0].count > 0 else { return }
        guard size > 0, keys > 0 else {
            outputs[0].pointer(Float.self).update(repeating: 0, count: outputs[0].count)
            return
        }
        var copies: [UnsafeMutablePointer<Float>] = []
        defer { copies.forEach { $0.deallocate() } }
        let (q, k, v) = (operand(0, shapes[0], inputs, &copies), operand(1, shapes[1], inputs, &copies), operand(2, shapes[2], inputs, &copies))
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
            // Scores = scale · Q·Kᵀ: Q's rows (tokens) are the product's rows, K's rows its columns.
            let (qa, lda) = q.head(b, h, token: i0)
            let (kb, ldk) = k.head(b, h, token: 0)
            serialSgemm(m: rows, n: keys, k: size, alpha: scale, a: qa, lda: lda, transA: q.featureMajor,
                        b: kb, ldb: ldk, transB: !k.featureMajor, c: scores, ldc: keys, config: config, scratch: scratch)
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
            let (vb, ldv) = v.head(b, h, token: 0)
            serialSgemm(m: rows, n: valueSize, k: keys, alpha: 1, a: scores, lda: keys, transA: false,
                        b: vb, ldb: ldv, transB: v.featureMajor,
                        c: y + ((b * queries + i0) * heads + h) * valueSize, ldc: heads * valueSize,
                        config: config, scratch: scratch)
        }
    }

    /// Operand `index` (Q, K or V) as `shape` [B, tokens, H, size] reads it. A feature-major operand whose shape does
    /// not split its features into heads (leading axes its tokens, trailing ones its features) is copied back to
    /// tokens × features into a buffer added to `copies`, so the heads are found as in ONNX's layout.
    private func operand(_ index: Int, _ shape: [Int], _ inputs: [Tensor?], _ copies: inout [UnsafeMutablePointer<Float>]) -> HeadOperand {
        let x = inputs[2 * index]!
        let features = x.shape.last ?? 1, tokens = x.count / max(1, features)
        let operand = HeadOperand(base: x.pointer(Float.self), featureMajor: featureMajor[index], shape: shape)
        guard operand.featureMajor, shape[2] * shape[3] != features else { return operand }
        let copy = UnsafeMutablePointer<Float>.allocate(capacity: x.count)
        copies.append(copy)
        for t in 0..<tokens {
            for f in 0..<features { copy[t * features + f] = operand.base[f * tokens + t] }
        }
        return HeadOperand(base: copy, featureMajor: false, shape: shape)
    }
}

/// Where one head of Q, K or V lies: token-major [B, tokens, H, size], or feature-major [H·size, B·tokens].
struct HeadOperand {
    let base: UnsafePointer<Float>
    let featureMajor: Bool
    /// [B, tokens, H, size].
    let shape: [Int]

    /// Head `h` of image `b` from token `token` (image or head 0 when the operand has one, shared by all), and the
    /// stride between its rows: tokens for token-major, features for feature-major.
    func head(_ image: Int, _ head: Int, token: Int) -> (UnsafePointer<Float>, Int) {
        let (images, tokens, heads, size) = (shape[0], shape[1], shape[2], shape[3])
        let b = images == 1 ? 0 : image, h = heads == 1 ? 0 : head
        if featureMajor { return (base + h * size * images * tokens + b * tokens + token, images * tokens) }
        return (base + ((b * tokens + token) * heads + h) * size, heads * size)
    }
}
