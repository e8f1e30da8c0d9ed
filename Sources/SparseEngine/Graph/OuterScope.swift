/// Sub-graphs (`If`'s branches) read values of the graphs around them by name. The decoder lists those values
/// after a node's own inputs, so ordering, passes and planning see them as the node's inputs, and records their
/// names in `capturesAttribute`: passes may rename the node's inputs, the names inside the sub-graphs stay.
extension Node {
    /// The attribute naming, in order, the outer-scope values appended to a node's inputs.
    static let capturesAttribute = "zoo.captures"

    /// The node's sub-graphs, by attribute name.
    var subgraphs: [(name: String, graph: Graph)] {
        attributes.sorted { $0.key < $1.key }.compactMap { name, attribute in
            if case .graph(let graph) = attribute { return (name, graph) }
            return nil
        }
    }

    /// This node with the outer-scope values its sub-graphs read appended to its inputs (and named in
    /// `capturesAttribute`); the node itself when it has no sub-graph.
    func capturingOuterScope() -> Node {
        let graphs = subgraphs
        guard !graphs.isEmpty else { return self }
        var captured: [String] = []
        var seen = Set<String>()
        for (_, graph) in graphs {
            for name in graph.outerScopeReads where seen.insert(name).inserted { captured.append(name) }
        }
        var node = self
        node.inputs += captured
        node.attributes[Node.capturesAttribute] = .strings(captured.map { Array($0.utf8) })
        return node
    }

    /// The names in `capturesAttribute`, in order.
    var capturedNames: [String] {
        guard case .strings(let names)? = attributes[Node.capturesAttribute] else { return [] }
        return names.map { String(decoding: $0, as: UTF8.self) }
    }
}

extension Graph {
    /// The values this graph reads but does not define (no node, input or initializer of its own), in first-read
    /// order: outer-scope values. Nested sub-graphs' reads are already inputs of their nodes.
    var outerScopeReads: [String] {
        var defined = Set(inputs.map(\.name)).union(initializers.keys)
        for node in nodes { node.outputs.forEach { defined.insert($0) } }
        var reads: [String] = []
        var seen = Set<String>()
        for name in nodes.flatMap(\.inputs) + outputs.map(\.name) where !name.isEmpty && !defined.contains(name) {
            if seen.insert(name).inserted { reads.append(name) }
        }
        return reads
    }
}
