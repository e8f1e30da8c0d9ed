/// How a linear layer's activations lie in memory; the raw value is what `FeatureMajorHandoff` writes in the
/// layout attributes.
enum ActivationLayout: Int {
    /// [tokens, features] row-major: ONNX's layout.
    case tokenMajor = 0
    /// [features, tokens] row-major: the transposed product as `spmm` computes it, handed to fused attention by
    /// `FeatureMajorHandoff`.
    case featureMajor = 1
    /// Feature-major in panels of the narrow SpMM kernel's width P (`KernelConfig.spmmPixels`): tokens
    /// `b·P ..< b·P + count` (count = P but for a last partial panel) lie at `b·P·features`, feature f's row at
    /// `f·count` from there. The SpMM kernel reads and writes whole panels in place, a row of P tokens 4·P bytes
    /// after the last, as it reads the panels it packs itself: handed between two sparse linear layers. Below P
    /// tokens it is the same as `featureMajor`.
    case featurePanels = 2

    /// Whether the features of one token are not contiguous.
    var isFeatureMajor: Bool { self != .tokenMajor }
}

/// The activations and results of a sparse `MatMul` or `Gemm` whose right operand W (K×N) is the constant,
/// for `spmm`: the product is computed transposed, Yᵀ = Wᵀ·Xᵀ, so the rows are W's N output features and the
/// vectorized "pixels" are X's rows (tokens, or images of a batch). Token-major activations are transposed into
/// panels and results transposed back into the row-major [tokens, N] output, after the activation; feature-major
/// ones (rows or panels) are read in place and written as the kernel makes them.
struct LinearSpMMOperands: SpMMOperands {
    /// X, [tokens, K] (token-major), [K, tokens] (feature-major) or K × tokens in panels.
    let x: UnsafePointer<Float>
    /// Y, [tokens, N] (token-major), [N, tokens] (feature-major) or N × tokens in panels.
    let y: UnsafeMutablePointer<Float>
    let tokens: Int, k: Int, n: Int
    /// One value per output feature, added before the activation (a fused bias), or nil.
    let bias: UnsafePointer<Float>?
    /// Added to the product before the activation, laid out as Y: Y itself (to add to what it holds, a `Gemm`'s beta·C)
    /// or a fused residual of Y's shape (token-major Y only), or nil.
    let addend: UnsafePointer<Float>?
    let activation: FusedActivation
    /// The 16×16 transposing kernel (`KernelConfig.transpose`).
    let transpose: KernelConfig.TransposeMicrokernel
    var inputLayout: ActivationLayout = .tokenMajor
    var outputLayout: ActivationLayout = .tokenMajor
    /// A fused GELU applied to feature-major output rows as they are finished (token-major output gets it in a pass
    /// after the product, `GemmEpilogue`).
    var gelu: KernelConfig.VectorFunction? = nil

    /// The width of `featurePanels` layouts: the narrow SpMM kernel's (`KernelConfig.spmmPixels`).
    var panelWidth = 64

    var rowFunction: KernelConfig.VectorFunction? { outputLayout.isFeatureMajor ? gelu : nil }

    /// Panels in or out fix the kernel's block to their width.
    var blockWidth: Int? { inputLayout == .featurePanels || outputLayout == .featurePanels ? panelWidth : nil }

    var imagePixels: Int { tokens }
    var images: Int { 1 }
    var clamp: (low: Float, high: Float) { activation.bounds }

    /// Feature-major X is read in place: activation row k is X's row k, `tokens` floats apart, or, in panels, the
    /// block's panel row k, `panelWidth` floats apart.
    var inPlace: SpMMInPlace? {
        let x = x, k = k, width = panelWidth
        switch inputLayout {
        case .tokenMajor: return nil
        case .featureMajor:
            return SpMMInPlace(rowOffsets: [], rowStride: tokens * MemoryLayout<Float>.size, address: { UnsafeRawPointer(x + $0) })
        case .featurePanels:
            return SpMMInPlace(rowOffsets: [], rowStride: width * MemoryLayout<Float>.size, address: { UnsafeRawPointer(x + $0 * k) })
        }
    }

    /// Feature-major Y is where the kernel writes: output row r is Y's row r, or the block's panel row r.
    func directOutput(pixel0: Int) -> SpMMDirectOutput? {
        let output: UnsafeMutablePointer<Float>, rowStride: Int
        switch outputLayout {
        case .tokenMajor: return nil
        case .featureMajor: (output, rowStride) = (y + pixel0, tokens)
        case .featurePanels: (output, rowStride) = (y + pixel0 * n, panelWidth)
        }
        return SpMMDirectOutput(output: output, rowStride: rowStride, addend: addend.map { $0 + (output - y) })
    }

    /// Where feature `row` of the block of `count` tokens from `pixel0` starts in a feature-major value of `features`
    /// rows, in floats.
    private func featureMajorOffset(_ layout: ActivationLayout, features: Int, row: Int, pixel0: Int, count: Int) -> Int {
        layout == .featurePanels ? pixel0 * features + row * count : row * tokens + pixel0
    }

    func pack(_ panel: UnsafeMutablePointer<Float>, width: Int, k0: Int, kc: Int, pixel0: Int, count: Int) {
        if count < width {
            for r in 0..<kc { (panel + r * width + count).update(repeating: 0, count: width - count) }
        }
        if inputLayout.isFeatureMajor {
            for r in 0..<kc {
                let offset = featureMajorOffset(inputLayout, features: k, row: k0 + r, pixel0: pixel0, count: count)
                (panel + r * width).update(from: x + offset, count: count)
            }
            return
        }
        transposeInBlocks(x + pixel0 * k + k0, ldSource: k, rows: count, columns: kc, into: panel, ldDestination: width, transpose: transpose)
    }

    /// Writes the rows of a partial block to feature-major Y as they are. For token-major Y, transposes the tile back
    /// block by block: 16 features × 16 tokens at a time through the transpose kernel, which adds the bias and the
    /// addend (what Y holds, for a `Gemm`'s C, or a fused residual) and applies the activation bounds on the way.
    func store(_ tile: UnsafePointer<Float>, width: Int, rows: Range<Int>, pixel0: Int, count: Int) {
        let (low, high) = activation.bounds
        if outputLayout.isFeatureMajor {
            for r in rows {
                let source = tile + (r - rows.lowerBound) * width
                let destination = y + featureMajorOffset(outputLayout, features: n, row: r, pixel0: pixel0, count: count)
                for q in 0..<count {
                    let value = source[q] + (bias?[r] ?? 0) + (addend?[destination - y + q] ?? 0)
                    destination[q] = Swift.min(Swift.max(value, low), high)
                }
                gelu?(destination, destination, count)
            }
            return
        }
        for r0 in stride(from: rows.lowerBound, to: rows.upperBound, by: 16) {
            let source = tile + (r0 - rows.lowerBound) * width
            for q0 in stride(from: 0, to: count, by: 16) {
                let destination = y + (pixel0 + q0) * n + r0
                if r0 + 16 <= rows.upperBound && q0 + 16 <= count {
                    transpose(source + q0, width, destination, n, bias.map { $0 + r0 }, addend.map { $0 + (destination - y) }, low, high)
                    continue
                }
                for q in 0..<min(16, count - q0) {
                    for r in 0..<min(16, rows.upperBound - r0) {
                        var value = source[r * width + q0 + q] + (bias?[r0 + r] ?? 0)
                        if let addend { value += addend[destination - y + q * n + r] }
                        destination[q * n + r] = Swift.min(Swift.max(value, low), high)
                    }
                }
            }
        }
    }
}

/// A sparse linear layer: `spmm` over the transposed product, or, for a few tokens (a classifier head at batch
/// 1), a scalar pass over the nonzeros. The vector kernel computes a whole block of tokens per weight, so with
/// one token it would spend 63 of every 64 lanes on padding (ResNet-50's pruned classifier: 3 % of the model).
func sparseLinear(_ weights: SparseWeights, _ operands: LinearSpMMOperands, context: KernelContext) {
    guard operands.tokens < LinearSpMMOperands.fewTokens else {
        spmm(weights, operands, context: context)
        return
    }
    let groups = weights.groups, tasks = min(groups, context.pool.threadCount * 4)
    context.pool.parallelFor(tasks) { task, _ in
        let g0 = groups * task / tasks, g1 = groups * (task + 1) / tasks
        operands.multiplyFewTokens(weights, rows: g0 * SparseWeights.groupRows..<min(weights.m, g1 * SparseWeights.groupRows),
                                   pairs: weights.firstPair(group: g0)..<(g1 == groups ? weights.pairsPerChunk : weights.firstPair(group: g1)))
    }
}

extension LinearSpMMOperands {
    /// Below this many tokens a sparse linear layer runs on `multiplyFewTokens` (fewer than any panel width, so that
    /// panels there are plain feature-major rows).
    static let fewTokens = 4

    /// `Y[t, rows] = act(Σ W·X[t] + bias (+ Y))` one nonzero at a time, for the output `rows` whose pairs in
    /// every chunk are `pairs`.
    func multiplyFewTokens(_ weights: SparseWeights, rows: Range<Int>, pairs: Range<Int>) {
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: tokens * rows.count)
        defer { sums.deallocate() }
        sums.initialize(repeating: 0, count: tokens * rows.count)
        // A feature-major token's features are `tokens` apart: they are gathered first.
        let gathered = inputLayout.isFeatureMajor ? UnsafeMutablePointer<Float>.allocate(capacity: k) : nil
        defer { gathered?.deallocate() }
        for t in 0..<tokens {
            var input = x + t * k
            if let gathered {
                for i in 0..<k { gathered[i] = x[i * tokens + t] }
                input = UnsafePointer(gathered)
            }
            let out = sums + t * rows.count - rows.lowerBound
            for c in 0..<weights.chunks {
                let chunkInput = input + c * weights.chunk
                for index in pairs {
                    let pair = weights.pair(chunk: c, index)
                    // Two partial sums per row, so consecutive multiply-adds do not wait on each other.
                    var a0: Float = 0, a1: Float = 0, b0: Float = 0, b1: Float = 0
                    var s = pair.first
                    let end = pair.first + pair.steps
                    while s + 1 < end {
                        let i0 = weights.indices[s], i1 = weights.indices[s + 1]
                        a0 += weights.values[2 * s] * chunkInput[Int(i0 & 0xFFFF)]
                        b0 += weights.values[2 * s + 1] * chunkInput[Int(i0 >> 16)]
                        a1 += weights.values[2 * s + 2] * chunkInput[Int(i1 & 0xFFFF)]
                        b1 += weights.values[2 * s + 3] * chunkInput[Int(i1 >> 16)]
                        s += 2
                    }
                    if s < end {
                        a0 += weights.values[2 * s] * chunkInput[Int(weights.indices[s] & 0xFFFF)]
                        b0 += weights.values[2 * s + 1] * chunkInput[Int(weights.indices[s] >> 16)]
                    }
                    out[pair.rowA] += a0 + a1
                    if pair.rowB >= 0 { out[pair.rowB] += b0 + b1 }
                }
            }
        }
        let (low, high) = activation.bounds
        for t in 0..<tokens {
            for (j, row) in rows.enumerated() {
                let index = outputLayout.isFeatureMajor ? row * tokens + t : t * n + row
                var value = sums[t * rows.count + j] + (bias?[row] ?? 0)
                if let addend { value += addend[index] }
                y[index] = Swift.min(Swift.max(value, low), high)
            }
        }
        if let rowFunction {
            for row in rows { rowFunction(y + row * tokens, y + row * tokens, tokens) }
        }
    }
}
