/// What the passes that fuse written-out elementwise formulas (GELU, HardSwish, LayerNorm) ask of a graph while
/// matching: a constant's single float value, and the one node that reads a value.
struct ElementwisePatterns {
    private let graph: Graph
    private let consumers: [String: [Int]]

    init(_ graph: Graph) {
        self.graph = graph
        consumers = graph.consumers()
    }

    /// The value of a one-element float initializer.
    func scalar(_ name: String) -> Float? {
        guard let t = graph.initializers[name], t.dataType == .float, t.count == 1 else { return nil }
        return t.pointer(Float.self)[0]
    }

    /// The only reader of `value` when it is a two-input node of the default domain with one of `opTypes` (and `value`
    /// is no graph output), with that node's other input.
    func soleReader(_ value: String, _ opTypes: String...) -> (index: Int, other: String)? {
        guard !graph.isOutput(value), let readers = consumers[value], readers.count == 1 else { return nil }
        let node = graph.nodes[readers[0]]
        guard opTypes.contains(node.opType), node.domain.isEmpty, node.inputs.count == 2, node.outputs.count == 1 else { return nil }
        return (readers[0], node.inputs[0] == value ? node.inputs[1] : node.inputs[0])
    }

    /// True when exactly one node reads `value`.
    func hasOneReader(_ value: String) -> Bool { consumers[value]?.count == 1 }
}
