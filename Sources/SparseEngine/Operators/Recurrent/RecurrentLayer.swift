/// What `LSTM`, `GRU` and `RNN` share while planning: their attributes (hidden size, direction, layout, clip,
/// activations) and the shapes of their inputs and outputs.
///
/// W is `[directions, gates · hidden, input]`, R `[directions, gates · hidden, hidden]`, B
/// `[directions, 2 · gates · hidden]` (the input biases, then the recurrent ones); `sequence_lens` `[batch]`;
/// each initial state and each state output `[directions, batch, hidden]` (`[batch, directions, hidden]` with
/// `layout` 1); Y `[steps, directions, batch, hidden]` (`[batch, steps, directions, hidden]` with `layout` 1).
struct RecurrentLayer {
    let c: OpContext
    /// Gate blocks in W and R: 4 for LSTM (i, o, f, c), 3 for GRU (z, r, h), 1 for RNN.
    let gateCount: Int
    /// State outputs after Y, and initial-state inputs from #5: 2 for LSTM (h, c), 1 for GRU and RNN.
    let stateCount: Int
    /// `hidden_size`, or nil to take it from R.
    let hiddenSize: Int?
    /// One entry per direction, true when that direction runs from each sequence's end to its start.
    let directions: [Bool]
    /// `layout` 1: X is [batch, steps, input], the states [batch, directions, hidden].
    let batchMajor: Bool
    /// Gate inputs are bounded to [-clip, clip] before their activations, when set.
    let clip: Float?

    /// Reads the attributes of `c`'s node; only the activations `defaults` (per direction) are supported.
    init(_ c: OpContext, gateCount: Int, stateCount: Int, defaultActivations defaults: [String]) throws {
        self.c = c
        self.gateCount = gateCount
        self.stateCount = stateCount
        hiddenSize = try c.optionalInt("hidden_size")
        if let hiddenSize, hiddenSize <= 0 {
            throw c.error(.invalidModel, "hidden_size \(hiddenSize) must be positive")
        }
        let direction = try c.string("direction", "forward")
        switch direction {
        case "forward": directions = [false]
        case "reverse": directions = [true]
        case "bidirectional": directions = [false, true]
        default: throw c.error(.unsupportedAttribute, "direction '\(direction)' is not forward, reverse or bidirectional")
        }
        let layout = try c.int("layout", 0)
        guard layout == 0 || layout == 1 else {
            throw c.error(.unsupportedAttribute, "layout \(layout) is neither 0 (sequence first) nor 1 (batch first)")
        }
        batchMajor = layout == 1
        clip = try c.optionalFloat("clip")
        if let clip, !(clip > 0) {
            throw c.error(.invalidModel, "clip \(clip) must be positive")
        }
        if case .strings(let names)? = c.node.attributes["activations"] {
            let expected = Array(repeating: defaults.map { $0.lowercased() }, count: directions.count).flatMap { $0 }
            let given = names.map { String(decoding: $0, as: UTF8.self).lowercased() }
            guard given == expected else {
                throw c.error(.unsupportedAttribute, "activations \(given) are not supported; only the defaults \(defaults.joined(separator: ", ")) per direction")
            }
        }
    }

    /// Checks X, W, R, B, `sequence_lens` and the initial states, and gives Y and the state outputs.
    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0, "X"), w = try c.required(inputs, 1, "W"), r = try c.required(inputs, 2, "R")
        try c.check(x.dataType, in: floatTypes, "X")
        try c.check(w.dataType, in: floatTypes, "W")
        try c.check(r.dataType, in: floatTypes, "R")
        guard x.shape.count == 3, w.shape.count == 3, r.shape.count == 3 else {
            throw c.error(.invalidModel, "X, W and R must have rank 3, got \(x.shape), \(w.shape), \(r.shape)")
        }
        let hidden = hiddenSize ?? r.shape[2]
        let dirs = directions.count, gates = gateCount * hidden
        guard w.shape == [dirs, gates, x.shape[2]], r.shape == [dirs, gates, hidden] else {
            throw c.error(.shapeMismatch, "W \(w.shape) and R \(r.shape) do not fit X \(x.shape) with hidden size \(hidden), \(gateCount) gate(s) and \(dirs) direction(s): expected \([dirs, gates, x.shape[2]]) and \([dirs, gates, hidden])")
        }
        let (steps, batch) = batchMajor ? (x.shape[1], x.shape[0]) : (x.shape[0], x.shape[1])
        let state = batchMajor ? [batch, dirs, hidden] : [dirs, batch, hidden]
        if let b = optional(inputs, 3) {
            try c.check(b.dataType, in: floatTypes, "B")
            guard b.shape == [dirs, 2 * gates] else { throw c.error(.shapeMismatch, "B must be \([dirs, 2 * gates]), got \(b.shape)") }
        }
        if let lengths = optional(inputs, 4) {
            try c.check(lengths.dataType, in: [.int32, .int64], "sequence_lens")
            guard lengths.shape == [batch] else { throw c.error(.shapeMismatch, "sequence_lens must be [\(batch)], got \(lengths.shape)") }
        }
        for k in 0..<stateCount {
            guard let initial = optional(inputs, 5 + k) else { continue }
            try c.check(initial.dataType, in: floatTypes, "initial state #\(5 + k)")
            guard initial.shape == state else {
                throw c.error(.shapeMismatch, "initial state #\(5 + k) must be \(state), got \(initial.shape)")
            }
        }
        let y = batchMajor ? [batch, steps, dirs, hidden] : [steps, dirs, batch, hidden]
        return [ValueSpec(.float, y)] + Array(repeating: ValueSpec(.float, state), count: stateCount)
    }

    /// `value` bounded by `clip`, when set.
    func bounded(_ value: Float) -> Float {
        guard let clip else { return value }
        return Swift.min(Swift.max(value, -clip), clip)
    }

    /// Optional input `i`, nil when omitted.
    func optional<T>(_ inputs: [T?], _ i: Int) -> T? { i < inputs.count ? inputs[i] : nil }
}
