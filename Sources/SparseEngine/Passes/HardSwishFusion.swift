/// Fuses HardSwish written out in basic operators, as Paddle2ONNX exports it before opset 14 (PP-OCR, PicoDet,
/// PP-LCNet) — `Div(Mul(x, Clip(Add(x, 3), 0, 6)), 6)`, operands of Add and Mul in either order, or the last step a
/// `Mul` by 1/6 — into one `HardSwish` (one pass over the tensor instead of four). The fused node carries
/// `LayerNormFusion.fusedAttribute`, which lets it run whatever the model's opset.
struct HardSwishFusion: GraphPass {
    var name: String { "hardswish-fusion" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let producer = graph.producers()
        let patterns = ElementwisePatterns(graph)
        /// A Clip's bounds: inputs from opset 11, attributes before.
        func bounds(_ clip: Node) -> (Float, Float)? {
            if (opsets[""] ?? 0) < 11 {
                guard case .float(let lo)? = clip.attributes["min"], case .float(let hi)? = clip.attributes["max"] else { return nil }
                return (lo, hi)
            }
            guard clip.inputs.count == 3, let lo = patterns.scalar(clip.inputs[1]), let hi = patterns.scalar(clip.inputs[2]) else { return nil }
            return (lo, hi)
        }

        var removed = Set<Int>()
        var replacements: [Int: Node] = [:]
        for (ci, clip) in graph.nodes.enumerated() where clip.opType == "Clip" && clip.domain.isEmpty && clip.outputs.count == 1 {
            guard let ai = producer[clip.inputs[0]], graph.nodes[ai].opType == "Add", graph.nodes[ai].domain.isEmpty,
                  graph.nodes[ai].inputs.count == 2, patterns.hasOneReader(clip.inputs[0]), !graph.isOutput(clip.inputs[0]),
                  let (lo, hi) = bounds(clip), lo == 0, hi == 6,
                  let mul = patterns.soleReader(clip.outputs[0], "Mul"),
                  let last = patterns.soleReader(graph.nodes[mul.index].outputs[0], "Div", "Mul")
            else { continue }
            let add = graph.nodes[ai]
            let x = patterns.scalar(add.inputs[1]) == 3 ? add.inputs[0] : add.inputs[1]
            guard patterns.scalar(add.inputs[0]) == 3 || patterns.scalar(add.inputs[1]) == 3, mul.other == x else { continue }
            let lastNode = graph.nodes[last.index]
            let sixth = lastNode.opType == "Div" ? lastNode.inputs[1] == last.other && patterns.scalar(last.other) == 6
                                                 : patterns.scalar(last.other).map { abs($0 - 1 / 6) < 1e-6 } ?? false
            let fusedNodes = [ai, ci, mul.index, last.index]
            guard sixth, fusedNodes.allSatisfy({ !removed.contains($0) }) else { continue }
            replacements[fusedNodes.max()!] = Node(name: clip.name, opType: "HardSwish", inputs: [x], outputs: lastNode.outputs,
                                                   attributes: [LayerNormFusion.fusedAttribute: .int(1)])
            fusedNodes.forEach { removed.insert($0) }
        }
        graph.rewrite(replacing: replacements, removing: removed)
        return replacements.count
    }
}
