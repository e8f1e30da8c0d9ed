import Foundation

/// `LSTM` (float), forward, reverse or bidirectional, with biases, initial states, per-item sequence lengths,
/// peepholes, `clip`, `input_forget` and both layouts; the default activations (Sigmoid, Tanh, Tanh) only.
///
/// Per direction, the input projection of every step is one GEMM (`X · Wᵀ`, biases added); each step then adds
/// `H · Rᵀ` (one small GEMM) and updates the states item by item. Gates are ordered i, o, f, c as ONNX stores them.
struct LSTMOperator: Operator {
    private let c: OpContext
    private let hiddenSize: Int
    private let directions: [Bool]
    private let clip: Float?
    private let inputForget: Bool
    /// 1: X is [batch, seq, input] and Y [batch, seq, directions, hidden]; 0: [seq, batch, …].
    private let batchMajor: Bool

    init(_ c: OpContext) throws {
        self.c = c
        hiddenSize = try c.int("hidden_size", 0)
        let direction = try c.string("direction", "forward")
        switch direction {
        case "forward": directions = [false]
        case "reverse": directions = [true]
        case "bidirectional": directions = [false, true]
        default: throw c.error(.unsupportedAttribute, "direction '\(direction)' is not forward, reverse or bidirectional")
        }
        clip = try c.optionalFloat("clip")
        inputForget = try c.int("input_forget", 0) != 0
        batchMajor = try c.int("layout", 0) == 1
        if case .strings(let names)? = c.node.attributes["activations"] {
            let expected = Array(repeating: ["sigmoid", "tanh", "tanh"], count: directions.count).flatMap { $0 }
            let given = names.map { String(decoding: $0, as: UTF8.self).lowercased() }
            guard given == expected else {
                throw c.error(.unsupportedAttribute, "activations \(given) are not supported; only the default Sigmoid, Tanh, Tanh")
            }
        }
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0, "X"), w = try c.required(inputs, 1, "W"), r = try c.required(inputs, 2, "R")
        try c.check(x.dataType, in: floatTypes, "X")
        guard x.shape.count == 3, w.shape.count == 3, r.shape.count == 3 else {
            throw c.error(.invalidModel, "X, W and R must have rank 3, got \(x.shape), \(w.shape), \(r.shape)")
        }
        let hidden = hiddenSize > 0 ? hiddenSize : r.shape[2]
        guard w.shape == [directions.count, 4 * hidden, x.shape[2]], r.shape == [directions.count, 4 * hidden, hidden] else {
            throw c.error(.shapeMismatch, "W \(w.shape) and R \(r.shape) do not fit X \(x.shape) with hidden size \(hidden) and \(directions.count) direction(s)")
        }
        let (steps, batch) = batchMajor ? (x.shape[1], x.shape[0]) : (x.shape[0], x.shape[1])
        let dirs = directions.count
        let state = batchMajor ? [batch, dirs, hidden] : [dirs, batch, hidden]
        let y = batchMajor ? [batch, steps, dirs, hidden] : [steps, dirs, batch, hidden]
        return [ValueSpec(.float, y), ValueSpec(.float, state), ValueSpec(.float, state)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, w = inputs[1]!, r = inputs[2]!
        let hidden = r.shape[2], inputSize = x.shape[2], gates = 4 * hidden
        let (steps, batch) = batchMajor ? (x.shape[1], x.shape[0]) : (x.shape[0], x.shape[1])
        let dirs = directions.count
        let lengths = try input(inputs, 4).map { try $0.intValues() } ?? Array(repeating: steps, count: batch)
        guard lengths.count == batch, lengths.allSatisfy({ $0 >= 0 && $0 <= steps }) else {
            throw c.error(.invalidInput, "sequence_lens \(lengths) must hold \(batch) lengths of at most \(steps)")
        }
        let y = outputs[0], yh = outputs.count > 1 ? outputs[1] : nil, yc = outputs.count > 2 ? outputs[2] : nil
        y.rawPointer.initializeMemory(as: UInt8.self, repeating: 0, count: y.byteCount)
        // X in step-major rows: row t * batch + b.
        let rows = steps * batch
        var stepMajor = [Float](repeating: 0, count: rows * inputSize)
        let xp = x.pointer(Float.self)
        for t in 0..<steps {
            for b in 0..<batch {
                let source = batchMajor ? xp + (b * steps + t) * inputSize : xp + (t * batch + b) * inputSize
                for k in 0..<inputSize { stepMajor[(t * batch + b) * inputSize + k] = source[k] }
            }
        }
        var projected = [Float](repeating: 0, count: rows * gates)
        var stepGates = [Float](repeating: 0, count: batch * gates)
        var h = [Float](repeating: 0, count: batch * hidden), cell = h
        for (d, reverse) in directions.enumerated() {
            let wp = w.pointer(Float.self) + d * gates * inputSize, rp = r.pointer(Float.self) + d * gates * hidden
            stepMajor.withUnsafeBufferPointer { xs in
                projected.withUnsafeMutableBufferPointer { ps in
                    sgemm(transA: false, transB: true, m: rows, n: gates, k: inputSize, alpha: 1, a: xs.baseAddress!, lda: inputSize,
                          b: wp, ldb: inputSize, beta: 0, c: ps.baseAddress!, ldc: gates, context: context)
                }
            }
            if let bias = input(inputs, 3) {
                let bp = bias.pointer(Float.self) + d * 2 * gates
                for row in 0..<rows { for g in 0..<gates { projected[row * gates + g] += bp[g] + bp[gates + g] } }
            }
            let peephole = input(inputs, 7).map { $0.pointer(Float.self) + d * 3 * hidden }
            for b in 0..<batch {
                for k in 0..<hidden {
                    h[b * hidden + k] = input(inputs, 5).map { $0.pointer(Float.self)[(d * batch + b) * hidden + k] } ?? 0
                    cell[b * hidden + k] = input(inputs, 6).map { $0.pointer(Float.self)[(d * batch + b) * hidden + k] } ?? 0
                }
            }
            for s in 0..<steps {
                // Item b's s-th step is at position s forward, and counts back from its own last one in reverse.
                let positions = lengths.map { reverse ? $0 - 1 - s : (s < $0 ? s : -1) }
                for (b, t) in positions.enumerated() where t >= 0 {
                    for g in 0..<gates { stepGates[b * gates + g] = projected[(t * batch + b) * gates + g] }
                }
                h.withUnsafeBufferPointer { hs in
                    stepGates.withUnsafeMutableBufferPointer { gs in
                        sgemm(transA: false, transB: true, m: batch, n: gates, k: hidden, alpha: 1, a: hs.baseAddress!, lda: hidden,
                              b: rp, ldb: hidden, beta: 1, c: gs.baseAddress!, ldc: gates, context: context)
                    }
                }
                for (b, t) in positions.enumerated() where t >= 0 {
                    update(&stepGates, b * gates, &h, &cell, b * hidden, hidden, peephole)
                    let out = batchMajor ? ((b * steps + t) * dirs + d) * hidden : ((t * dirs + d) * batch + b) * hidden
                    for k in 0..<hidden { y.pointer(Float.self)[out + k] = h[b * hidden + k] }
                }
            }
            for (state, values) in [(yh, h), (yc, cell)] {
                guard let state else { continue }
                for b in 0..<batch {
                    let out = batchMajor ? (b * dirs + d) * hidden : (d * batch + b) * hidden
                    for k in 0..<hidden { state.pointer(Float.self)[out + k] = values[b * hidden + k] }
                }
            }
        }
    }

    /// One item's step: gates (i, o, f, c pre-activations at `g`) to new hidden and cell states at `s`.
    private func update(_ gates: inout [Float], _ g: Int, _ h: inout [Float], _ cell: inout [Float], _ s: Int, _ hidden: Int,
                        _ peephole: UnsafePointer<Float>?) {
        func bound(_ v: Float) -> Float { clip.map { Swift.min(Swift.max(v, -$0), $0) } ?? v }
        func sigmoid(_ v: Float) -> Float { 1 / (1 + Foundation.exp(-v)) }
        for k in 0..<hidden {
            let previous = cell[s + k]
            let i = sigmoid(bound(gates[g + k] + (peephole?[k] ?? 0) * previous))
            let f = inputForget ? 1 - i : sigmoid(bound(gates[g + 2 * hidden + k] + (peephole?[2 * hidden + k] ?? 0) * previous))
            let candidate = Foundation.tanh(bound(gates[g + 3 * hidden + k]))
            let next = f * previous + i * candidate
            let o = sigmoid(bound(gates[g + hidden + k] + (peephole?[hidden + k] ?? 0) * next))
            cell[s + k] = next
            h[s + k] = o * Foundation.tanh(next)
        }
    }

    /// Optional input `i`, nil when omitted.
    private func input(_ inputs: [Tensor?], _ i: Int) -> Tensor? { i < inputs.count ? inputs[i] : nil }
}
