/// Removes nodes that do not contribute to any graph output, and initializers no node reads.
struct DeadCodeElimination: GraphPass {
    var name: String { "dead-code-elimination" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        var needed = Set(graph.outputs.map(\.name))
        var keep = [Bool](repeating: false, count: graph.nodes.count)
        for i in graph.nodes.indices.reversed() {
            let node = graph.nodes[i]
            if node.outputs.contains(where: { needed.contains($0) }) {
                keep[i] = true
                node.inputs.forEach { needed.insert($0) }
            }
        }
        let before = graph.nodes.count
        graph.nodes = graph.nodes.enumerated().filter { keep[$0.offset] }.map(\.element)
        graph.initializers = graph.initializers.filter { needed.contains($0.key) }
        return before - graph.nodes.count
    }
}
