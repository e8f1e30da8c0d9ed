/// Fuses the exact GELU written out in basic operators, as PyTorch exports it before opset 20 —
/// `Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5)`, operands of Add and Mul in either order — into one `Gelu`
/// (one pass of the vector erf kernel instead of five over the tensor). The fused node carries
/// `LayerNormFusion.fusedAttribute`, which lets it run whatever the model's opset.
struct GeluFusion: GraphPass {
    var name: String { "gelu-fusion" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let consumers = graph.consumers()
        let producer = graph.producers()
        func scalar(_ name: String) -> Float? {
            guard let t = graph.initializers[name], t.dataType == .float, t.count == 1 else { return nil }
            return t.pointer(Float.self)[0]
        }
        /// The only reader of `value`, when it is a two-input `opType` of the default domain; and its other input.
        func soleReader(_ value: String, _ opType: String) -> (index: Int, other: String)? {
            guard !graph.isOutput(value), let readers = consumers[value], readers.count == 1 else { return nil }
            let node = graph.nodes[readers[0]]
            guard node.opType == opType, node.domain.isEmpty, node.inputs.count == 2, node.outputs.count == 1 else { return nil }
            return (readers[0], node.inputs[0] == value ? node.inputs[1] : node.inputs[0])
        }

        var removed = Set<Int>()
        var replacements: [Int: Node] = [:]
        for (ei, erf) in graph.nodes.enumerated() where erf.opType == "Erf" && erf.domain.isEmpty && erf.inputs.count == 1 {
            guard let di = producer[erf.inputs[0]], graph.nodes[di].opType == "Div", graph.nodes[di].domain.isEmpty,
                  consumers[erf.inputs[0]]?.count == 1, !graph.isOutput(erf.inputs[0]),
                  let divisor = scalar(graph.nodes[di].inputs[1]), abs(divisor - Float(2).squareRoot()) < 1e-6,
                  let add = soleReader(erf.outputs[0], "Add"), scalar(add.other) == 1,
                  let mul = soleReader(graph.nodes[add.index].outputs[0], "Mul"),
                  let half = soleReader(graph.nodes[mul.index].outputs[0], "Mul"), scalar(half.other) == 0.5
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
