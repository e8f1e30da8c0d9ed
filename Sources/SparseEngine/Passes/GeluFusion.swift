/// Fuses the exact GELU written out in basic operators, as PyTorch exports it before opset 20 —
/// `Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5)`, operands of Add and Mul in either order — into one `Gelu`
/// (one pass of the vector erf kernel instead of five over the tensor). The fused node carries
/// `LayerNormFusion.fusedAttribute`, which lets it run whatever the model's opset.
struct GeluFusion: GraphPass {
    var name: String { "gelu-fusion" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let producer = graph.producers()
        let patterns = ElementwisePatterns(graph)

        var removed = Set<Int>()
        var replacements: [Int: Node] = [:]
        for (ei, erf) in graph.nodes.enumerated() where erf.opType == "Erf" && erf.domain.isEmpty && erf.inputs.count == 1 {
            guard let di = producer[erf.inputs[0]], graph.nodes[di].opType == "Div", graph.nodes[di].domain.isEmpty,
                  patterns.hasOneReader(erf.inputs[0]), !graph.isOutput(erf.inputs[0]),
                  let divisor = patterns.scalar(graph.nodes[di].inputs[1]), abs(divisor - Float(2).squareRoot()) < 1e-6,
                  let add = patterns.soleReader(erf.outputs[0], "Add"), patterns.scalar(add.other) == 1,
                  let mul = patterns.soleReader(graph.nodes[add.index].outputs[0], "Mul"),
                  let half = patterns.soleReader(graph.nodes[mul.index].outputs[0], "Mul"), patterns.scalar(half.other) == 0.5
            else { continue }
            let x = graph.nodes[di].inputs[0]
            let fusedNodes = [di, ei, add.index, mul.index, half.index]
            guard mul.other == x, fusedNodes.allSatisfy({ !removed.contains($0) }) else { continue }
            replacements[fusedNodes.max()!] = Node(name: graph.nodes[ei].name, opType: "Gelu", inputs: [x],
                                                   outputs: graph.nodes[half.index].outputs,
                                                   attributes: [LayerNormFusion.fusedAttribute: .int(1)])
            fusedNodes.forEach { removed.insert($0) }
        }
        graph.rewrite(replacing: replacements, removing: removed)
        return replacements.count
    }
}
