/// Evaluates nodes whose inputs are all initializers and turns their outputs into initializers.
/// Uses the operators themselves, so folding and running can never disagree.
struct ConstantFolding: GraphPass {
    var name: String { "constant-folding" }
    /// Outputs larger than this stay computed at run time (avoid bloating memory).
    var maxElements = 1 << 24

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        var kept: [Node] = []
        var folded = 0
        for node in graph.nodes {
            let known = node.inputs.allSatisfy { $0.isEmpty || graph.initializers[$0] != nil }
            guard known, !node.outputs.contains(where: \.isEmpty), let op = try? OperatorRegistry.make(node, opsets: opsets) else {
                kept.append(node)
                continue
            }
            let inputs = node.inputs.map { $0.isEmpty ? nil : ValueSpec(known: graph.initializers[$0]!) }
            let specs = try attributingErrors(to: node) {
                let specs = try Array(op.inferOutputs(inputs).prefix(node.outputs.count))
                try MemoryLimit.checkOutputs(specs, named: node.outputs)
                return specs
            }
            guard specs.allSatisfy({ $0.count <= maxElements }) else {
                kept.append(node)
                continue
            }
            let tensors = try specs.map { try $0.value ?? Tensor(zeros: $0.dataType, shape: $0.shape) }
            if !specs.allSatisfy({ $0.value != nil }) {
                try attributingErrors(to: node) { try op.run(inputs.map { $0?.value }, tensors, context) }
            }
            for (name, t) in zip(node.outputs, tensors) { graph.initializers[name] = t }
            folded += 1
        }
        graph.nodes = kept
        return folded
    }
}
