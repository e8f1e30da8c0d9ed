/// Moves data-movement operators onto the quantized tensors: `DequantizeLinear` → `Reshape`, `Transpose`, `Squeeze`,
/// `Unsqueeze`, `Flatten`, `MaxPool` or `Concat` → `QuantizeLinear` with the same scale and zero point (as ONNX Runtime's
/// quantizer writes them around such operators) becomes the operator alone, on the 8-bit tensor (every input of a
/// Concat must come from such a `DequantizeLinear`). Exact: these operators only move or select values, and
/// quantizing a dequantized value with the same parameters gives it back. Fewer nodes and a quarter of the bytes
/// moved.
struct QDQPropagation: GraphPass {
    var name: String { "qdq-propagation" }

    private static let operators: Set<String> = ["Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten", "MaxPool", "Concat"]

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let consumers = graph.consumers()
        let producer = graph.producers()
        var removed = Set<Int>()
        var moved = 0
        for (ni, node) in graph.nodes.enumerated() where Self.operators.contains(node.opType) && node.domain.isEmpty {
            // The operands that carry values: every input of a Concat, the first of the others (shapes, axes follow).
            let moving = node.opType == "Concat" ? node.inputs.indices.map { $0 } : [0]
            guard node.outputs.count == 1 || node.outputs.dropFirst().allSatisfy(\.isEmpty), !node.inputs.isEmpty,
                  !graph.isOutput(node.outputs[0]), let readers = consumers[node.outputs[0]], readers.count == 1,
                  graph.nodes[readers[0]].opType == "QuantizeLinear", graph.nodes[readers[0]].domain.isEmpty,
                  !removed.contains(readers[0])
            else { continue }
            let q = graph.nodes[readers[0]]
            let sources = moving.map { i -> Node? in
                guard let di = producer[node.inputs[i]], graph.nodes[di].opType == "DequantizeLinear", graph.nodes[di].domain.isEmpty,
                      sameParameters(graph.nodes[di], q, graph) else { return nil }
                return graph.nodes[di]
            }
            guard sources.allSatisfy({ $0 != nil }) else { continue }
            for (i, source) in zip(moving, sources) { graph.nodes[ni].inputs[i] = source!.inputs[0] }
            graph.nodes[ni].outputs = [q.outputs[0]]
            removed.insert(readers[0])
            moved += 1
        }
        graph.rewrite(removing: removed)
        return moved
    }

    /// True when both nodes have one constant scale and zero point, equal in value and type.
    private func sameParameters(_ dq: Node, _ q: Node, _ graph: Graph) -> Bool {
        func parameters(_ n: Node) -> (Float, Tensor?)? {
            guard n.inputs.count >= 2, let s = graph.initializers[n.inputs[1]], s.dataType == .float, s.count == 1 else { return nil }
            guard n.inputs.count > 2, !n.inputs[2].isEmpty else { return (s.pointer(Float.self)[0], nil) }
            guard let z = graph.initializers[n.inputs[2]], z.count == 1 else { return nil }
            return (s.pointer(Float.self)[0], z)
        }
        guard let (ds, dz) = parameters(dq), let (qs, qz) = parameters(q), ds == qs else { return false }
        // An absent zero point is uint8 0.
        let dType = dz?.dataType ?? .uint8, qType = qz?.dataType ?? .uint8
        let dValue = (try? dz?.doubleValues().first) ?? 0, qValue = (try? qz?.doubleValues().first) ?? 0
        return dType == qType && [.uint8, .int8].contains(dType) && dValue == qValue
    }
}
