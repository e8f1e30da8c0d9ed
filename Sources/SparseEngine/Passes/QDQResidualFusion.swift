/// Moves a quantized Add (`QuantizedAddOperator`, made by `QDQFusion` of ResNet's residual connections) into the
/// `QLinearConv` that produces one of its operands, when nothing else reads that convolution's output: the convolution
/// then requantizes to its own output's bytes as before and adds the Add's other operand to them in its epilogue
/// (`QS8ResidualAdd`), the same bytes as the two nodes, without the pass over the Add's tensors and the round trip of the
/// convolution's output through memory. The Add's other operand and parameters become the convolution's inputs #9–#13
/// (after an empty bias if it had none); the Add's Relu, `QS8ResidualAdd.reluAttribute`. The other operand must be ready
/// before the convolution runs (a graph input, or a value computed earlier in node order), as `AddFusion` requires.
struct QDQResidualFusion: GraphPass {
    var name: String { "qdq-residual-fusion" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) -> Int {
        let consumers = graph.consumers()
        let producer = graph.producers()
        var removed = Set<Int>(), replacements: [Int: Node] = [:]
        for (ai, add) in graph.nodes.enumerated()
        where add.opType == "Add" && add.domain.isEmpty && add.attributes[QuantizedAddOperator.attribute] != nil && add.inputs.count == 8 {
            // Operand a (inputs 0–2) or b (3–5) from a convolution; the other one is the residual.
            for (product, other) in [(0, 3), (3, 0)] {
                let value = add.inputs[product], residual = add.inputs[other]
                guard let ci = producer[value], replacements[ci] == nil, !removed.contains(ci), value != residual,
                      canAbsorb(graph.nodes[ci]), liveReaders(value, graph, consumers) == 1, !graph.isOutput(value),
                      graph.initializers[residual] == nil, producer[residual].map({ $0 < ci }) ?? true
                else { continue }
                var conv = graph.nodes[ci]
                while conv.inputs.count < QS8ResidualAdd.residualInput { conv.inputs.append("") }
                conv.inputs += [residual, add.inputs[other + 1], add.inputs[other + 2], add.inputs[6], add.inputs[7]]
                conv.attributes[QS8ResidualAdd.attribute] = .int(product == 0 ? 0 : 1)
                if case .string(let activation)? = add.attributes[FusedActivation.attribute], activation == Array("Relu".utf8) {
                    conv.attributes[QS8ResidualAdd.reluAttribute] = .int(1)
                }
                conv.outputs = add.outputs
                replacements[ci] = conv
                removed.insert(ai)
                break
            }
        }
        graph.rewrite(replacing: replacements, removing: removed)
        return replacements.count
    }

    /// How many nodes read `value`, less those whose outputs nothing reads (the `DequantizeLinear` nodes `QDQFusion` leaves
    /// for dead-code elimination).
    private func liveReaders(_ value: String, _ graph: Graph, _ consumers: [String: [Int]]) -> Int {
        (consumers[value] ?? []).filter { reader in
            graph.nodes[reader].outputs.contains { !$0.isEmpty && (graph.isOutput($0) || !(consumers[$0] ?? []).isEmpty) }
        }.count
    }

    /// A `QLinearConv` without a fused Add, whose output scale and zero point are constants (the Add's operands' are).
    private func canAbsorb(_ node: Node) -> Bool {
        node.opType == "QLinearConv" && node.domain.isEmpty && node.outputs.count == 1 && node.attributes[QS8ResidualAdd.attribute] == nil
            && (8...9).contains(node.inputs.count)
    }
}
