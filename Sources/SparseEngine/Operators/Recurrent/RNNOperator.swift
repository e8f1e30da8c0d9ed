import Foundation

/// `RNN` (float), forward, reverse or bidirectional, with biases, an initial state, per-item sequence lengths,
/// `clip` and both layouts; the default activation (Tanh) only: `H = tanh(X · Wᵀ + H · Rᵀ + Wb + Rb)`.
///
/// The step loop is `RecurrentSequence`'s; each step adds `H · Rᵀ` (one small GEMM) to the projected inputs.
struct RNNOperator: Operator {
    private let layer: RecurrentLayer

    init(_ c: OpContext) throws {
        layer = try RecurrentLayer(c, gateCount: 1, stateCount: 1, defaultActivations: ["Tanh"])
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        try layer.inferOutputs(inputs)
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let sequence = try RecurrentSequence(layer, inputs)
        let hidden = sequence.hidden, r = inputs[2]!
        try sequence.run(inputs, outputs, context: context) { d, gates, active, states in
            sequence.recurrent(states[0], r, direction: d, firstRow: 0, rows: hidden, into: gates, ldc: hidden,
                               accumulate: true, context: context)
            for b in active {
                for k in 0..<hidden { states[0][b * hidden + k] = Foundation.tanh(layer.bounded(gates[b * hidden + k])) }
            }
        }
    }
}
