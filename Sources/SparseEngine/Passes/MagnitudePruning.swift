/// One-shot unstructured magnitude pruning in memory (`zoo bench --sparsify S`): each prunable weight gets
/// its `sparsity` share of smallest-magnitude entries set to zero, to see what training to that sparsity
/// would buy before anyone trains for it. The model file is not touched (pruned weights are copies).
///
/// Prunable, as in bench/models/prune.py: the constant weight of every Conv but the first (it sees the raw
/// image) and grouped ones (depthwise), of every Gemm, and the constant operands of every MatMul.
struct MagnitudePruning: GraphPass {
    let sparsity: Double

    var name: String { "magnitude-pruning" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        var pruned = 0
        for name in prunableWeights(graph) {
            guard let weight = graph.initializers[name], weight.dataType == .float else { continue }
            let count = Int((sparsity * Double(weight.count)).rounded())
            guard count > 0 else { continue }
            let copy = weight.copy()
            let values = copy.buffer(Float.self)
            let threshold = values.map { abs($0) }.sorted()[min(count, values.count) - 1]
            // Zero everything below the threshold, then ties at it until `count` are zero.
            var zeroed = 0
            for i in values.indices where abs(values[i]) < threshold { values[i] = 0; zeroed += 1 }
            for i in values.indices where zeroed < count && values[i] != 0 && abs(values[i]) == threshold { values[i] = 0; zeroed += 1 }
            graph.initializers[name] = copy
            pruned += 1
        }
        return pruned
    }

    private func prunableWeights(_ graph: Graph) -> [String] {
        var names: [String] = []
        var seenConv = false
        for node in graph.nodes where node.domain.isEmpty {
            var candidates: [String] = []
            switch node.opType {
            case "Conv":
                let first = !seenConv
                seenConv = true
                var group = 1
                if case .int(let g)? = node.attributes["group"] { group = g }
                if !first && group == 1 && node.inputs.count > 1 { candidates = [node.inputs[1]] }
            case "Gemm" where node.inputs.count > 1: candidates = [node.inputs[1]]
            case "MatMul": candidates = Array(node.inputs.prefix(2))
            default: continue
            }
            names += candidates.filter { graph.initializers[$0] != nil && !names.contains($0) }
        }
        return names
    }
}
