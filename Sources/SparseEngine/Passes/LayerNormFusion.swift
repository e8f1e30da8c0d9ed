/// Fuses layer normalization written out in basic operators, as PyTorch exports it before opset 17 —
/// `d = x − ReduceMean(x)`, `y = d / Sqrt(ReduceMean(Pow(d, 2)) + ε)`, then `· γ + β` — into one
/// `LayerNormalization` over the last axis: one pass over each row instead of nine over the tensor.
/// The fused node carries `zoo.fused`, which lets it run whatever the model's opset.
struct LayerNormFusion: GraphPass {
    static let fusedAttribute = "zoo.fused"

    var name: String { "layernorm-fusion" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let consumers = graph.consumers()
        let producer = graph.producers()
        func node(_ value: String, _ opType: String) -> (Int, Node)? {
            guard let i = producer[value], graph.nodes[i].opType == opType, graph.nodes[i].domain.isEmpty,
                  !graph.isOutput(value) else { return nil }
            return (i, graph.nodes[i])
        }
        let patterns = ElementwisePatterns(graph)
        func vector(_ name: String) -> Bool { graph.initializers[name].map { $0.dataType == .float && $0.rank == 1 } ?? false }
        func singleUse(_ value: String) -> Bool { consumers[value]?.count == 1 }

        var removed = Set<Int>()
        var replacements: [Int: Node] = [:]
        for (di, div) in graph.nodes.enumerated() where div.opType == "Div" && div.domain.isEmpty && div.inputs.count == 2 {
            guard let (si, sqrt) = node(div.inputs[1], "Sqrt"), singleUse(div.inputs[1]),
                  let (ai, add) = node(sqrt.inputs[0], "Add"), singleUse(sqrt.inputs[0]), add.inputs.count == 2,
                  let epsilon = patterns.scalar(add.inputs[1]),
                  let (vi, variance) = node(add.inputs[0], "ReduceMean"), singleUse(add.inputs[0]), reducesLastAxis(variance, graph),
                  let (pi, pow) = node(variance.inputs[0], "Pow"), singleUse(variance.inputs[0]), pow.inputs.count == 2,
                  patterns.scalar(pow.inputs[1]) == 2, pow.inputs[0] == div.inputs[0],
                  let (ci, sub) = node(div.inputs[0], "Sub"), consumers[div.inputs[0]]?.count == 2,
                  let (mi, mean) = node(sub.inputs[1], "ReduceMean"), singleUse(sub.inputs[1]), reducesLastAxis(mean, graph),
                  mean.inputs[0] == sub.inputs[0]
            else { continue }
            var output = div.outputs[0], scale = "", bias = ""
            var fusedNodes = [di, si, ai, vi, pi, ci, mi]
            if singleUse(output), let (ui, mul) = consumerNode(of: output, "Mul", graph, consumers), mul.inputs[0] == output, vector(mul.inputs[1]) {
                scale = mul.inputs[1]
                output = mul.outputs[0]
                fusedNodes.append(ui)
                if singleUse(output), let (bi, addBias) = consumerNode(of: output, "Add", graph, consumers), addBias.inputs[0] == output,
                   vector(addBias.inputs[1]) {
                    bias = addBias.inputs[1]
                    output = addBias.outputs[0]
                    fusedNodes.append(bi)
                }
            }
            guard fusedNodes.allSatisfy({ !removed.contains($0) }) else { continue }
            if scale.isEmpty {
                // LayerNormalization needs a scale: ones over the normalized axis, whose size is not known here.
                continue
            }
            let last = fusedNodes.max()!
            var inputs = [sub.inputs[0], scale]
            if !bias.isEmpty { inputs.append(bias) }
            replacements[last] = Node(name: div.name, opType: "LayerNormalization", inputs: inputs, outputs: [output],
                                      attributes: ["axis": .int(-1), "epsilon": .float(epsilon), Self.fusedAttribute: .int(1)])
            fusedNodes.forEach { removed.insert($0) }
        }
        graph.rewrite(replacing: replacements, removing: removed)
        return replacements.count
    }

    /// A ReduceMean over the last axis only, keeping it (axes as the attribute, or as a constant input from opset 18).
    private func reducesLastAxis(_ node: Node, _ graph: Graph) -> Bool {
        if case .int(let keep)? = node.attributes["keepdims"], keep == 0 { return false }
        if case .ints(let axes)? = node.attributes["axes"] { return axes == [-1] }
        guard node.inputs.count == 2, let axes = graph.initializers[node.inputs[1]], axes.dataType == .int64, axes.count == 1 else { return false }
        return axes.pointer(Int64.self)[0] == -1
    }

    private func consumerNode(of value: String, _ opType: String, _ graph: Graph, _ consumers: [String: [Int]]) -> (Int, Node)? {
        guard let i = consumers[value]?.first, graph.nodes[i].opType == opType, graph.nodes[i].domain.isEmpty,
              graph.nodes[i].inputs.count == 2 else { return nil }
        return (i, graph.nodes[i])
    }
}
