/// Marks each `LayerNormalization` whose output a `QuantizeLinear` reads (`zoo.ort_order`): it then sums each row in
/// order, one element at a time, and divides by the deviation, as ONNX Runtime does, so the quantized values round to
/// ONNX Runtime's steps exactly. Other layer norms sum in vector lanes, several times faster (a float model's outputs
/// only need to agree within 1e-4, not bit for bit).
struct QuantizedLayerNormOrder: GraphPass {
    static let attribute = "zoo.ort_order"

    var name: String { "quantized-layernorm-order" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let consumers = graph.consumers()
        var marked = 0
        for (i, node) in graph.nodes.enumerated() where node.opType == "LayerNormalization" && node.domain.isEmpty {
            guard let y = node.outputs.first, let readers = consumers[y],
                  readers.contains(where: { graph.nodes[$0].opType == "QuantizeLinear" }) else { continue }
            graph.nodes[i].attributes[Self.attribute] = .int(1)
            marked += 1
        }
        return marked
    }
}
