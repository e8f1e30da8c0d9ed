import Foundation

/// `GRU` (float), forward, reverse or bidirectional, with biases, an initial state, per-item sequence lengths,
/// `clip`, `linear_before_reset` and both layouts; the default activations (Sigmoid, Tanh) only.
///
/// The step loop is `RecurrentSequence`'s. Gates are ordered z, r, h as ONNX stores them. Each step adds `H · R_zrᵀ`
/// to the update and reset gates; the candidate then takes `(r ⊙ H) · R_hᵀ + Rb_h` (a second GEMM), or with
/// `linear_before_reset` `r ⊙ (H · R_hᵀ + Rb_h)`.
struct GRUOperator: Operator {
    private let layer: RecurrentLayer
    private let linearBeforeReset: Bool

    init(_ c: OpContext) throws {
        layer = try RecurrentLayer(c, gateCount: 3, stateCount: 1, defaultActivations: ["Sigmoid", "Tanh"])
        let linear = try c.int("linear_before_reset", 0)
        guard linear == 0 || linear == 1 else {
            throw c.error(.unsupportedAttribute, "linear_before_reset \(linear) is neither 0 nor 1")
        }
        linearBeforeReset = linear == 1
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        try layer.inferOutputs(inputs)
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let sequence = try RecurrentSequence(layer, inputs)
        let hidden = sequence.hidden, batch = sequence.batch, r = inputs[2]!
        let bias = layer.optional(inputs, 3)
        // Under linear_before_reset, H · R_hᵀ per item; otherwise r ⊙ H.
        var scratch = [Float](repeating: 0, count: batch * hidden)
        // The candidate's recurrent bias is added inside the reset under linear_before_reset, so not projected then.
        try sequence.run(inputs, outputs, context: context, recurrentBiasProjected: { !linearBeforeReset || $0 < 2 }) { d, gates, active, states in
            let recurrentBias = bias.map { UnsafePointer($0.pointer(Float.self) + d * 6 * hidden + 5 * hidden) }
            sequence.recurrent(states[0], r, direction: d, firstRow: 0, rows: 2 * hidden, into: gates, ldc: 3 * hidden,
                               accumulate: true, context: context)
            if linearBeforeReset {
                scratch.withUnsafeMutableBufferPointer { s in
                    sequence.recurrent(states[0], r, direction: d, firstRow: 2 * hidden, rows: hidden, into: s.baseAddress!,
                                       ldc: hidden, accumulate: false, context: context)
                }
            }
            for b in active {
                let g = gates + b * 3 * hidden
                for k in 0..<hidden {
                    g[k] = logistic(layer.bounded(g[k]))
                    let reset = logistic(layer.bounded(g[hidden + k]))
                    if linearBeforeReset {
                        g[2 * hidden + k] += reset * (scratch[b * hidden + k] + (recurrentBias?[k] ?? 0))
                    } else {
                        scratch[b * hidden + k] = reset * states[0][b * hidden + k]
                    }
                }
            }
            if !linearBeforeReset {
                scratch.withUnsafeBufferPointer { s in
                    let rp = r.pointer(Float.self) + (d * 3 * hidden + 2 * hidden) * hidden
                    sgemm(transA: false, transB: true, m: batch, n: hidden, k: hidden, alpha: 1, a: s.baseAddress!, lda: hidden,
                          b: rp, ldb: hidden, beta: 1, c: gates + 2 * hidden, ldc: 3 * hidden, context: context)
                }
            }
            for b in active {
                let g = gates + b * 3 * hidden
                for k in 0..<hidden {
                    let candidate = Foundation.tanh(layer.bounded(g[2 * hidden + k])), update = g[k]
                    states[0][b * hidden + k] = (1 - update) * candidate + update * states[0][b * hidden + k]
                }
            }
        }
    }
}
