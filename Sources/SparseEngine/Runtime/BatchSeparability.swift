/// Whether a graph computes every item of a batch on its own: each output's item i depends only on item i
/// of each input (axis 0). Then a batch can run as several smaller ones (`BatchSlicing`) with the same
/// results.
///
/// The check walks the nodes for concrete shapes. A value is *batched* when it derives from a graph input;
/// every batched value must have the batch as its first dimension, and every node that reads one must be
/// an operator known to keep items apart, used without reaching across axis 0: elementwise operators whose
/// other operands broadcast without axis 0, convolutions and pooling, matrix products with constant
/// weights, and shape, normalization and reduction operators whose axes leave axis 0 alone
/// (`BatchAxisRule`). Values computed while planning from a batched value's shape (`Shape`, `Size`) change
/// with the batch, so they may only decide shapes (a Reshape's target), never feed data. Anything else
/// makes the graph not separable: the check errs on the side of "no".
enum BatchSeparability {
    /// True when the graph keeps the `batch` items of every input apart and every output is batched.
    /// `inference` is the planner's for the whole batch; `nodes` and `operators` are the session's.
    static func holds(_ inference: Planner.Inference, nodes: [Node], operators: [Operator], inputs: [String],
                      outputs graphOutputs: [String], batch: Int, opset: Int) -> Bool {
        guard batch > 1 else { return false }
        let specs = inference.specs
        var batched = Set<String>()
        var fromBatchShape = Set<String>()
        for name in inputs {
            guard specs[name]?.shape.first == batch else { return false }
            batched.insert(name)
        }
        let runs = Dictionary(uniqueKeysWithValues: inference.pending.map { ($0.index, $0.outputs) })
        for (index, node) in nodes.enumerated() {
            let named = node.inputs.map { $0.isEmpty ? nil : $0 }
            guard let outputs = runs[index] else {
                // Evaluated while planning: from constants, or from a batched value's shape.
                if named.contains(where: { $0.map { batched.contains($0) || fromBatchShape.contains($0) } ?? false }) {
                    fromBatchShape.formUnion(node.outputs.filter { !$0.isEmpty })
                }
                continue
            }
            let shapeOnly = Set(operators[index].planTimeInputs)
            for (i, name) in named.enumerated() where name.map(fromBatchShape.contains) ?? false && !shapeOnly.contains(i) {
                return false
            }
            let reads = named.map { $0.map(batched.contains) ?? false }
            guard reads.contains(true) else { continue }
            let operands = named.map { $0.flatMap { specs[$0] } }
            let results = outputs.map { $0.isEmpty ? nil : specs[$0] }
            guard node.domain.isEmpty || node.domain == "ai.onnx" || node.domain == OperatorRegistry.internalDomain,
                  results.allSatisfy({ $0 == nil || $0!.shape.first == batch }),
                  zip(reads, operands).allSatisfy({ !$0 || $1?.shape.first == batch }),
                  BatchAxisRule(node, opset: opset)?.keepsItemsApart(reads: reads, operands: operands,
                                                                    rank: results.first??.shape.count ?? 0) == true
            else { return false }
            batched.formUnion(outputs.filter { !$0.isEmpty })
        }
        return graphOutputs.allSatisfy(batched.contains)
    }

    /// True when planning for a slice of `items` gives the same nodes to run as the whole batch, each value
    /// with `items` in place of the batch (a Reshape to a fixed batch, say, would not).
    static func slicePlansMatch(_ whole: Planner.Inference, _ slice: Planner.Inference, batch: Int, items: Int) -> Bool {
        guard whole.pending.map(\.index) == slice.pending.map(\.index) else { return false }
        for step in whole.pending {
            for name in step.outputs {
                guard let big = whole.specs[name]?.shape, let small = slice.specs[name]?.shape,
                      big.first == batch, small == [items] + big.dropFirst()
                else { return false }
            }
        }
        return true
    }
}
