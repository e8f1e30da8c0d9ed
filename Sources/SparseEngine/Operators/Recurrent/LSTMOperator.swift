import Foundation

/// `LSTM` (float), forward, reverse or bidirectional, with biases, initial states, per-item sequence lengths,
/// peepholes, `clip`, `input_forget` and both layouts; the default activations (Sigmoid, Tanh, Tanh) only. Also
/// ONNX Runtime's `com.microsoft.DynamicQuantizeLSTM`: the same with 8-bit weights (`DynamicQuantizedGates`).
///
/// The step loop is `RecurrentSequence`'s; each step adds `H · Rᵀ` (one small GEMM) to the projected inputs and
/// updates the states item by item. Gates are ordered i, o, f, c as ONNX stores them.
struct LSTMOperator: Operator {
    private let layer: RecurrentLayer
    private let inputForget: Bool
    /// True for `com.microsoft.DynamicQuantizeLSTM`.
    private let quantizedWeights: Bool
    /// Its float weights, dequantized once.
    private let dequantizedWeights = DequantizedWeightCache()

    /// The operator of `c`'s node: an `LSTM`, or (`quantizedWeights`) a `com.microsoft.DynamicQuantizeLSTM`.
    init(_ c: OpContext, quantizedWeights: Bool = false) throws {
        layer = try RecurrentLayer(c, gateCount: 4, stateCount: 2, defaultActivations: ["Sigmoid", "Tanh", "Tanh"])
        inputForget = try c.int("input_forget", 0) != 0
        self.quantizedWeights = quantizedWeights
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let inputs = quantizedWeights ? try DynamicQuantizedGates.lstmInputs(inputs, layer.c, directions: layer.directions.count) : inputs
        let outputs = try layer.inferOutputs(inputs)
        if let peepholes = layer.optional(inputs, 7) {
            let expected = [layer.directions.count, 3 * outputs[0].shape[3]]
            try layer.c.check(peepholes.dataType, in: floatTypes, "P")
            guard peepholes.shape == expected else {
                throw layer.c.error(.shapeMismatch, "P must be \(expected), got \(peepholes.shape)")
            }
        }
        return outputs
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let inputs = quantizedWeights ? try dequantizedWeights.lstmInputs(inputs, context: context) : inputs
        let sequence = try RecurrentSequence(layer, inputs, roundsGemmOperands: quantizedWeights)
        let hidden = sequence.hidden, r = inputs[2]!
        try sequence.run(inputs, outputs, context: context) { d, gates, active, states in
            sequence.recurrent(states[0], r, direction: d, firstRow: 0, rows: 4 * hidden, into: gates, ldc: 4 * hidden,
                               accumulate: true, context: context)
            let peephole = layer.optional(inputs, 7).map { UnsafePointer($0.pointer(Float.self) + d * 3 * hidden) }
            for b in active {
                update(gates + b * 4 * hidden, &states, b * hidden, hidden, peephole)
            }
        }
    }

    /// One item's step: gates (i, o, f, c pre-activations at `g`) to new hidden and cell states (`states[0]`,
    /// `states[1]`) at `s`.
    private func update(_ g: UnsafeMutablePointer<Float>, _ states: inout [[Float]], _ s: Int, _ hidden: Int,
                        _ peephole: UnsafePointer<Float>?) {
        for k in 0..<hidden {
            let previous = states[1][s + k]
            let i = logistic(layer.bounded(g[k] + (peephole?[k] ?? 0) * previous))
            let f = inputForget ? 1 - i : logistic(layer.bounded(g[2 * hidden + k] + (peephole?[2 * hidden + k] ?? 0) * previous))
            let candidate = Foundation.tanh(layer.bounded(g[3 * hidden + k]))
            let next = f * previous + i * candidate
            let o = logistic(layer.bounded(g[hidden + k] + (peephole?[hidden + k] ?? 0) * next))
            states[1][s + k] = next
            states[0][s + k] = o * Foundation.tanh(next)
        }
    }
}
