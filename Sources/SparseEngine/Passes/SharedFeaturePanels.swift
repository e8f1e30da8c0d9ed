/// Lays out activations that several sparse linear layers read token-major (a transformer's Q, K and V projections
/// of one LayerNorm's output) in panels once, for all of them: a `zoo.FeaturePanels` node before the first, which
/// they read in place (`zoo.input_feature_major` = `featurePanels`).
///
/// Each layer otherwise transposes the same activations into the same panels, in a parallel region of its own before
/// its product: three transposes and three regions where one of each does. Runs after `FeatureMajorHandoff`.
struct SharedFeaturePanels: GraphPass {
    var name: String { "shared-feature-panels" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        var readers: [String: [Int]] = [:]
        for (i, node) in graph.nodes.enumerated() where Self.readsTokenMajor(node) {
            readers[node.inputs[0], default: []].append(i)
        }
        var inserted: [(before: Int, node: Node)] = []
        var names = Set(graph.nodes.flatMap { $0.inputs + $0.outputs }).union(graph.initializers.keys)
        for (value, nodes) in readers.sorted(by: { $0.key < $1.key }) where nodes.count > 1 {
            var panels = value + "/zoo.feature_panels"
            while names.contains(panels) { panels += "_" }
            names.insert(panels)
            inserted.append((nodes.min()!, Node(name: panels, opType: FeaturePanelsOperator.opType,
                                                domain: OperatorRegistry.internalDomain, inputs: [value], outputs: [panels])))
            for i in nodes {
                graph.nodes[i].inputs[0] = panels
                graph.nodes[i].attributes[FeatureMajorHandoff.inputAttribute] = .int(ActivationLayout.featurePanels.rawValue)
            }
        }
        for (before, node) in inserted.sorted(by: { $0.before > $1.before }) { graph.nodes.insert(node, at: before) }
        return inserted.count
    }

    /// A sparse linear layer (`FeatureMajorHandoff.isSparseLinear`) reading its activations in ONNX's layout.
    private static func readsTokenMajor(_ node: Node) -> Bool {
        FeatureMajorHandoff.isSparseLinear(node) && node.attributes[FeatureMajorHandoff.inputAttribute] == nil
            && node.inputs.first.map { !$0.isEmpty } == true
    }
}
