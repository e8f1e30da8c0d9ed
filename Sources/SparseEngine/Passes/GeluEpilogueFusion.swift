/// Fuses an exact `Gelu` (opset 20's, or the one `GeluFusion` made) into the float `MatMul` whose output is its only
/// input: the product applies it in its epilogue (`zoo.gelu`), after a fused bias and activation, to each tile while
/// it is in cache, instead of a second pass over the feed-forward layer's widest tensor. Runs after `AddFusion` and
/// `ActivationFusion`, so MatMul → Add(bias) → Gelu becomes one node.
struct GeluEpilogueFusion: GraphPass {
    static let attribute = "zoo.gelu"

    var name: String { "gelu-epilogue-fusion" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let consumers = graph.consumers()
        let producer = graph.producers()
        var removed = Set<Int>()
        for (gi, gelu) in graph.nodes.enumerated() where gelu.opType == "Gelu" && gelu.domain.isEmpty {
            // The tanh approximation is another function.
            if case .string(let approximate)? = gelu.attributes["approximate"], approximate != Array("none".utf8) { continue }
            guard gelu.inputs.count == 1, gelu.outputs.count == 1,
                  let x = gelu.inputs.first, let pi = producer[x], !removed.contains(pi),
                  graph.nodes[pi].opType == "MatMul", graph.nodes[pi].domain.isEmpty, graph.nodes[pi].outputs.count == 1,
                  graph.nodes[pi].attributes[Self.attribute] == nil, consumers[x]?.count == 1, !graph.isOutput(x)
            else { continue }
            graph.nodes[pi].attributes[Self.attribute] = .int(1)
            graph.nodes[pi].outputs = gelu.outputs
            removed.insert(gi)
        }
        graph.rewrite(removing: removed)
        return removed.count
    }
}
