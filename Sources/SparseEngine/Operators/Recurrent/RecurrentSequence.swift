import Foundation

/// One run of a recurrent layer (`RecurrentLayer`): the step loop that `LSTM`, `GRU` and `RNN` share.
///
/// Per direction, the input projection of every step is one GEMM (`X · Wᵀ`, biases added); each step gathers the
/// projections of the items still inside their sequences, lets the cell add its recurrent terms and update its
/// states (`Cell.step`), and writes the new hidden state to Y. Items past their `sequence_lens` keep their states
/// and leave zeros in Y; a reverse direction starts at each item's own last step.
struct RecurrentSequence {
    /// Advances the states of the active items by one step. `gates` holds `batch` rows of `gates · hidden`
    /// projected inputs (rows of inactive items are unspecified); `states[0]` is the hidden state, `[batch · hidden]`.
    typealias Cell = (_ direction: Int, _ gates: UnsafeMutablePointer<Float>, _ active: [Int], _ states: inout [[Float]]) throws -> Void

    let layer: RecurrentLayer
    let steps: Int, batch: Int, inputSize: Int, hidden: Int
    /// Each item's sequence length.
    let lengths: [Int]
    /// X with rows in step order: row `t · batch + b`.
    private let stepMajorX: [Float]
    /// Whether each GEMM's float operand goes through uint8 first, as ONNX Runtime's `DynamicQuantizeLSTM` does
    /// (`DynamicQuantizedGates.roundThroughUInt8`): all of X at once, each item's hidden state on its own.
    private let roundsGemmOperands: Bool

    /// Reads X's dimensions, `sequence_lens` (checked against the steps) and X itself from `inputs`.
    init(_ layer: RecurrentLayer, _ inputs: [Tensor?], roundsGemmOperands: Bool = false) throws {
        self.layer = layer
        self.roundsGemmOperands = roundsGemmOperands
        let x = inputs[0]!, r = inputs[2]!
        let (steps, batch) = layer.batchMajor ? (x.shape[1], x.shape[0]) : (x.shape[0], x.shape[1])
        let inputSize = x.shape[2]
        let lengths = try layer.optional(inputs, 4).map { try $0.intValues() } ?? Array(repeating: steps, count: batch)
        guard lengths.allSatisfy({ $0 >= 0 && $0 <= steps }) else {
            throw layer.c.error(.invalidInput, "sequence_lens \(lengths) must be lengths between 0 and \(steps)")
        }
        (self.steps, self.batch, self.inputSize, self.lengths) = (steps, batch, inputSize, lengths)
        hidden = r.shape[2]
        let xp = x.pointer(Float.self)
        var rows = [Float](repeating: 0, count: steps * batch * inputSize)
        for t in 0..<steps {
            for b in 0..<batch {
                let source = layer.batchMajor ? xp + (b * steps + t) * inputSize : xp + (t * batch + b) * inputSize
                for k in 0..<inputSize { rows[(t * batch + b) * inputSize + k] = source[k] }
            }
        }
        if roundsGemmOperands { DynamicQuantizedGates.roundThroughUInt8(&rows) }
        stepMajorX = rows
    }

    /// Runs every direction: `inputs` are the node's (X, W, R, B, sequence_lens, initial states…), `outputs` Y and the
    /// state outputs. `recurrentBiasProjected(g)` says whether gate `g`'s recurrent bias joins the projection (the cell
    /// adds it itself otherwise).
    func run(_ inputs: [Tensor?], _ outputs: [Tensor], context: KernelContext, recurrentBiasProjected: (Int) -> Bool = { _ in true },
             cell: Cell) throws {
        let y = outputs[0]
        y.rawPointer.initializeMemory(as: UInt8.self, repeating: 0, count: y.byteCount)
        let gates = layer.gateCount * hidden
        var stepGates = [Float](repeating: 0, count: batch * gates)
        for (d, reverse) in layer.directions.enumerated() {
            let projected = project(direction: d, inputs[1]!, layer.optional(inputs, 3), recurrentBiasProjected, context)
            var states = (0..<layer.stateCount).map { initialState(layer.optional(inputs, 5 + $0), direction: d) }
            for s in 0..<steps {
                // Item b's s-th step is at time s forward, and counts back from its own last one in reverse.
                let times = lengths.map { reverse ? $0 - 1 - s : (s < $0 ? s : -1) }
                let active = times.indices.filter { times[$0] >= 0 }
                for b in active {
                    for g in 0..<gates { stepGates[b * gates + g] = projected[(times[b] * batch + b) * gates + g] }
                }
                try stepGates.withUnsafeMutableBufferPointer { try cell(d, $0.baseAddress!, active, &states) }
                let yp = y.pointer(Float.self)
                for b in active {
                    let t = times[b]
                    let out = layer.batchMajor ? ((b * steps + t) * layer.directions.count + d) * hidden
                                               : ((t * layer.directions.count + d) * batch + b) * hidden
                    for k in 0..<hidden { yp[out + k] = states[0][b * hidden + k] }
                }
            }
            for (state, values) in zip(outputs.dropFirst(), states) {
                for b in 0..<batch {
                    let out = layer.batchMajor ? (b * layer.directions.count + d) * hidden : (d * batch + b) * hidden
                    for k in 0..<hidden { state.pointer(Float.self)[out + k] = values[b * hidden + k] }
                }
            }
        }
    }

    /// `H · Rᵀ` over rows `firstRow..<firstRow + rows` of direction `d`'s R, for every item, added to (`accumulate`) or
    /// written over `c`, whose rows are `ldc` apart.
    func recurrent(_ h: [Float], _ r: Tensor, direction d: Int, firstRow: Int, rows: Int, into c: UnsafeMutablePointer<Float>, ldc: Int,
                   accumulate: Bool, context: KernelContext) {
        let rp = r.pointer(Float.self) + (d * layer.gateCount * hidden + firstRow) * hidden
        var h = h
        if roundsGemmOperands {
            // Item by item, as ONNX Runtime does when it has a thread per item (always at batch 1).
            for b in 0..<batch { DynamicQuantizedGates.roundThroughUInt8(&h[(b * hidden)..<((b + 1) * hidden)]) }
        }
        h.withUnsafeBufferPointer { hs in
            sgemm(transA: false, transB: true, m: batch, n: rows, k: hidden, alpha: 1, a: hs.baseAddress!, lda: hidden,
                  b: rp, ldb: hidden, beta: accumulate ? 1 : 0, c: c, ldc: ldc, context: context)
        }
    }

    /// `X · Wᵀ` of direction `d` for every step and item, `[steps · batch, gates · hidden]`, plus the input biases and
    /// the recurrent biases of the gates `recurrentBiasProjected` names.
    private func project(direction d: Int, _ w: Tensor, _ bias: Tensor?, _ recurrentBiasProjected: (Int) -> Bool,
                         _ context: KernelContext) -> [Float] {
        let rows = steps * batch, gates = layer.gateCount * hidden
        var projected = [Float](repeating: 0, count: rows * gates)
        let wp = w.pointer(Float.self) + d * gates * inputSize
        stepMajorX.withUnsafeBufferPointer { xs in
            projected.withUnsafeMutableBufferPointer { ps in
                sgemm(transA: false, transB: true, m: rows, n: gates, k: inputSize, alpha: 1, a: xs.baseAddress!, lda: inputSize,
                      b: wp, ldb: inputSize, beta: 0, c: ps.baseAddress!, ldc: gates, context: context)
            }
        }
        guard let bias else { return projected }
        let bp = bias.pointer(Float.self) + d * 2 * gates
        let rowBias = (0..<gates).map { g in bp[g] + (recurrentBiasProjected(g / hidden) ? bp[gates + g] : 0) }
        for row in 0..<rows { for g in 0..<gates { projected[row * gates + g] += rowBias[g] } }
        return projected
    }

    /// Direction `d`'s initial state from `tensor` as `[batch · hidden]`, zeros when omitted.
    private func initialState(_ tensor: Tensor?, direction d: Int) -> [Float] {
        guard let tensor else { return [Float](repeating: 0, count: batch * hidden) }
        let p = tensor.pointer(Float.self), dirs = layer.directions.count
        var state = [Float](repeating: 0, count: batch * hidden)
        for b in 0..<batch {
            let source = layer.batchMajor ? (b * dirs + d) * hidden : (d * batch + b) * hidden
            for k in 0..<hidden { state[b * hidden + k] = p[source + k] }
        }
        return state
    }
}

/// The logistic function, for gates.
func logistic(_ v: Float) -> Float { 1 / (1 + Foundation.exp(-v)) }
