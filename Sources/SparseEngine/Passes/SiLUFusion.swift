/// Fuses SiLU written as `x · Sigmoid(x)` (YOLOv5's activation, as exported) into the `Conv` producing x: the
/// convolution then applies it to its finished output in one vectorized pass (`zoo.silu`), instead of a
/// Sigmoid writing a second tensor and a Mul reading both.
struct SiLUFusion: GraphPass {
    static let attribute = "zoo.silu"

    var name: String { "silu-fusion" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let consumers = graph.consumers()
        var removed = Set<Int>()
        var fused = 0
        for (ci, conv) in graph.nodes.enumerated() where conv.opType == "Conv" && conv.domain.isEmpty && conv.outputs.count == 1 {
            let x = conv.outputs[0]
            guard conv.attributes[FusedActivation.attribute] == nil, conv.attributes[Self.attribute] == nil, !graph.isOutput(x),
                  let readers = consumers[x], readers.count == 2,
                  let si = readers.first(where: { graph.nodes[$0].opType == "Sigmoid" }),
                  let mi = readers.first(where: { graph.nodes[$0].opType == "Mul" }),
                  graph.nodes[si].domain.isEmpty, graph.nodes[mi].domain.isEmpty,
                  let s = graph.nodes[si].outputs.first, !graph.isOutput(s), consumers[s] == [mi],
                  Set(graph.nodes[mi].inputs) == [x, s], graph.nodes[mi].inputs.count == 2
            else { continue }
            graph.nodes[ci].attributes[Self.attribute] = .int(1)
            graph.nodes[ci].outputs = graph.nodes[mi].outputs
            removed.formUnion([si, mi])
            fused += 1
        }
        graph.rewrite(removing: removed)
        return fused
    }
}
