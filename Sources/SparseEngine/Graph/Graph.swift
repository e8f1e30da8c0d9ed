/// A computation graph: nodes in ONNX order, the graph's inputs and outputs, and constant weights.
public struct Graph: Sendable {
    /// The graph name.
    public var name: String
    /// Nodes; ONNX requires topological order, `sorted()` restores it if a pass breaks it.
    public var nodes: [Node]
    /// Inputs the caller must feed (initializers listed as inputs by old exporters are excluded).
    public var inputs: [ValueInfo]
    /// Outputs the graph produces.
    public var outputs: [ValueInfo]
    /// Constant tensors by value name.
    public var initializers: [String: Tensor]

    /// Creates a graph.
    public init(name: String = "", nodes: [Node], inputs: [ValueInfo], outputs: [ValueInfo],
                initializers: [String: Tensor] = [:]) {
        self.name = name
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs
        self.initializers = initializers
    }

    /// Checks that every value is defined once before use and returns the nodes in a valid order
    /// (stable with respect to the given order). Throws `.invalidModel` naming the first problem.
    func topologicallySorted() throws -> [Node] {
        var defined = Set(inputs.map(\.name)).union(initializers.keys)
        var producers: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            for out in node.outputs where !out.isEmpty {
                if producers[out] != nil || defined.contains(out) {
                    throw EngineError(.invalidModel, "value '\(out)' is produced twice (node '\(node.displayName)', \(node.opType)); each value must have exactly one producer")
                }
                producers[out] = i
            }
        }
        var order: [Node] = []
        order.reserveCapacity(nodes.count)
        var done = [Bool](repeating: false, count: nodes.count)
        var progress = true
        while order.count < nodes.count && progress {
            progress = false
            for (i, node) in nodes.enumerated() where !done[i] {
                if node.inputs.allSatisfy({ $0.isEmpty || defined.contains($0) }) {
                    done[i] = true
                    order.append(node)
                    node.outputs.forEach { if !$0.isEmpty { defined.insert($0) } }
                    progress = true
                }
            }
        }
        if order.count < nodes.count {
            let stuck = nodes.indices.first { !done[$0] }!
            let node = nodes[stuck]
            if let missing = node.inputs.first(where: { !$0.isEmpty && !defined.contains($0) && producers[$0] == nil }) {
                throw EngineError(.invalidModel, "node '\(node.displayName)' (\(node.opType)) reads value '\(missing)', which no node, input or initializer defines")
            }
            throw EngineError(.invalidModel, "the graph has a cycle through node '\(node.displayName)' (\(node.opType))")
        }
        for output in outputs where !defined.contains(output.name) {
            throw EngineError(.invalidModel, "graph output '\(output.name)' is not produced by any node, input or initializer")
        }
        return order
    }
}
