import Foundation

/// `NegativeLogLikelihoodLoss(input [N, C, d…], target [N, d…], weight [C]?)` and
/// `SoftmaxCrossEntropyLoss` (the same loss over `log_softmax(scores)` along C, with the log
/// probabilities as optional second output). Per element `−input[n, target, d…] · w` with
/// `w = weight[target]` (1 without weights, 0 where target is `ignore_index`); `reduction`
/// `none` keeps them, `sum` adds them, `mean` (default) divides the sum by Σw.
struct LossOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let reduction: String
    let ignoreIndex: Int?

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        reduction = try c.string("reduction", "mean")
        guard ["none", "sum", "mean"].contains(reduction) else {
            throw c.error(.unsupportedAttribute, "reduction '\(reduction)' is not supported (none, sum, mean)")
        }
        ignoreIndex = try c.optionalInt("ignore_index")
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0), target = try c.required(inputs, 1, "target")
        try c.check(x.dataType, in: [.float, .double, .float16])
        try c.check(target.dataType, in: [.int64, .int32], "target")
        guard x.shape.count >= 2, target.shape == [x.shape[0]] + Array(x.shape[2...]) else {
            throw c.error(.shapeMismatch, "target \(target.shape) must be the input shape \(x.shape) without its class axis")
        }
        var outputs = [ValueSpec(x.dataType, reduction == "none" ? target.shape : [])]
        if kind == .softmaxCrossEntropyLoss && c.node.outputs.count > 1 { outputs.append(ValueSpec(x.dataType, x.shape)) }
        return outputs
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!
        var values = try x.doubleValues()
        let targets = try inputs[1]!.intValues()
        let weights = try inputs.count > 2 ? inputs[2]?.doubleValues() : nil
        let n = x.shape[0], classes = x.shape[1], inner = x.shape[2...].reduce(1, *)
        if kind == .softmaxCrossEntropyLoss {
            for o in 0..<n {
                for i in 0..<inner {
                    let positions = (0..<classes).map { (o * classes + $0) * inner + i }
                    let m = positions.map { values[$0] }.max() ?? 0
                    let logSum = Foundation.log(positions.reduce(0) { $0 + Foundation.exp(values[$1] - m) })
                    for p in positions { values[p] = values[p] - m - logSum }
                }
            }
            if outputs.count > 1 { try writeDoubles(values, to: outputs[1]) }
        }
        var losses = [Double](repeating: 0, count: targets.count)
        var weightSum = 0.0
        for o in 0..<n {
            for i in 0..<inner {
                let t = targets[o * inner + i]
                if t == ignoreIndex { continue }
                guard t >= 0 && t < classes else {
                    throw c.error(.invalidInput, "target \(t) is outside the \(classes) classes")
                }
                let w = weights?[t] ?? 1
                losses[o * inner + i] = -values[(o * classes + t) * inner + i] * w
                weightSum += w
            }
        }
        switch reduction {
        case "none": try writeDoubles(losses, to: outputs[0])
        case "sum": try writeDoubles([losses.reduce(0, +)], to: outputs[0])
        default: try writeDoubles([losses.reduce(0, +) / weightSum], to: outputs[0])
        }
    }
}
