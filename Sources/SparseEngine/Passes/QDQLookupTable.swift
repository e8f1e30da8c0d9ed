/// Turns a chain of float elementwise operators between a `DequantizeLinear` and a `QuantizeLinear` (per-tensor
/// parameters) into one table lookup on the 8-bit tensor (`LookupTableOperator`): the input has only 256 possible
/// values, so the chain is evaluated once, by the same operators, on all of them. Exact. The chain's nodes may be
/// unary (Erf, Sigmoid, Tanh, Relu, Clip with constant bounds …) or binary with a constant scalar operand
/// (DistilBERT's `x / √2`, `+ 1`, the attention's scaling); every value but the last is read only by the next node.
struct QDQLookupTable: GraphPass {
    var name: String { "qdq-lookup-table" }

    private static let unary: Set<String> = ["Relu", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Erf", "Gelu", "Sqrt",
                                             "Exp", "Log", "Neg", "Abs", "Reciprocal", "Softplus", "Elu", "Selu", "Celu", "Softsign",
                                             "Mish", "Clip"]
    private static let binary: Set<String> = ["Add", "Sub", "Mul", "Div", "Pow"]

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let consumers = graph.consumers()
        let producer = graph.producers()
        var removed = Set<Int>()
        var replacements: [Int: Node] = [:]
        for (fi, first) in graph.nodes.enumerated() where first.domain.isEmpty && isElementwise(first, graph) {
            guard let di = first.inputs.first.flatMap({ producer[$0] }), graph.nodes[di].opType == "DequantizeLinear",
                  graph.nodes[di].domain.isEmpty, perTensor(graph.nodes[di], graph), !removed.contains(fi)
            else { continue }
            var chain = [fi], value = first.outputs[0], quantize: Int?
            while !graph.isOutput(value), let readers = consumers[value], readers.count == 1, !removed.contains(readers[0]) {
                let next = graph.nodes[readers[0]]
                guard next.domain.isEmpty, next.inputs.first == value else { break }
                if next.opType == "QuantizeLinear" {
                    if perTensor(next, graph) { quantize = readers[0] }
                    break
                }
                guard isElementwise(next, graph) else { break }
                chain.append(readers[0])
                value = next.outputs[0]
            }
            guard let qi = quantize, let table = try table(graph.nodes[di], chain.map { graph.nodes[$0] }, graph.nodes[qi], graph, opsets, context)
            else { continue }
            replacements[qi] = Node(name: first.name, opType: LookupTableOperator.opType, domain: OperatorRegistry.internalDomain,
                                    inputs: [graph.nodes[di].inputs[0]], outputs: graph.nodes[qi].outputs, attributes: ["table": .tensor(table)])
            removed.formUnion(chain)
        }
        graph.rewrite(replacing: replacements, removing: removed)
        return replacements.count
    }

    /// A unary operator, or a binary one whose second operand is a constant scalar (its first is the chain's value).
    private func isElementwise(_ node: Node, _ graph: Graph) -> Bool {
        guard node.outputs.count == 1, !node.inputs.isEmpty else { return false }
        if Self.unary.contains(node.opType) {
            return node.inputs.dropFirst().allSatisfy { $0.isEmpty || graph.initializers[$0]?.count == 1 }
        }
        return Self.binary.contains(node.opType) && node.inputs.count == 2 && graph.initializers[node.inputs[1]]?.count == 1
    }

    /// One constant scale and (optional) zero point.
    private func perTensor(_ node: Node, _ graph: Graph) -> Bool {
        node.inputs.count >= 2 && graph.initializers[node.inputs[1]]?.count == 1
            && (node.inputs.count < 3 || node.inputs[2].isEmpty || graph.initializers[node.inputs[2]]?.count == 1)
    }

    /// The chain evaluated by its own operators on the 256 values of the quantized input; nil when an operator
    /// refuses the form.
    private func table(_ dq: Node, _ chain: [Node], _ q: Node, _ graph: Graph, _ opsets: [String: Int], _ context: KernelContext) throws -> Tensor? {
        let inputType = dq.inputs.count > 2 && !dq.inputs[2].isEmpty ? graph.initializers[dq.inputs[2]]!.dataType : .uint8
        guard [.uint8, .int8].contains(inputType) else { return nil }
        var value = try Tensor(zeros: inputType, shape: [256])
        for i in 0..<256 { value.rawPointer.storeBytes(of: UInt8(i), toByteOffset: i, as: UInt8.self) }
        for node in [dq] + chain + [q] {
            guard let op = try? OperatorRegistry.make(node, opsets: opsets) else { return nil }
            let inputs: [Tensor?] = node.inputs.enumerated().map { i, name in i == 0 ? value : name.isEmpty ? nil : graph.initializers[name] }
            guard let spec = try? op.inferOutputs(inputs.map { $0.map { ValueSpec(known: $0) } }).first, spec.shape == [256] else { return nil }
            let out = try Tensor(zeros: spec.dataType, shape: spec.shape)
            try op.run(inputs, [out], context)
            value = out
        }
        return [.uint8, .int8].contains(value.dataType) ? value : nil
    }
}
