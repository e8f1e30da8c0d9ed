/// Hands a sparse linear layer's output over transposed, features × tokens, when its only reader can take it so: the
/// next sparse linear layer (the transformer feed-forward pair lin1 → (bias, GELU) → lin2), or fused attention
/// (`AttentionOperator`) as Q, K or V.
///
/// `spmm` computes a linear layer transposed (Yᵀ = Wᵀ·Xᵀ, tokens in the vector lanes), so on its own the layer
/// transposes its result back to tokens × features, and the next sparse layer transposes it again into panels
/// (DistilBERT: 400,000 floats each way per layer), as attention transposes K. Marked, the layer writes Yᵀ as the
/// kernel makes it (`zoo.output_feature_major`, holding an `ActivationLayout`); a sparse reader reads it in place
/// (`zoo.input_feature_major`), in panels of the narrow kernel's width (the layout of the panels it would pack
/// itself: the kernel reads them 20 % faster than rows of all tokens, whose 128-token blocks overflow L1);
/// attention takes rows of all tokens, with its GEMMs turned the other way (`zoo.feature_major_operands`). The value is then not in ONNX's
/// layout, so it must be no graph output, and what the layer applies after its product elementwise (a bias per
/// feature, an activation, GELU): any other fused Add would broadcast along the wrong axis. Runs after
/// `SparseWeightSelection`.
struct FeatureMajorHandoff: GraphPass {
    static let outputAttribute = "zoo.output_feature_major"
    static let inputAttribute = "zoo.input_feature_major"

    var name: String { "feature-major-handoff" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let consumers = graph.consumers()
        var handoffs = 0
        for (pi, producer) in graph.nodes.enumerated() where Self.isSparseLinear(producer) && finishesInProduct(producer, graph) {
            guard producer.outputs.count == 1, let y = producer.outputs.first, !graph.isOutput(y),
                  let readers = consumers[y], readers.count == 1, let ci = readers.first, ci != pi,
                  let position = graph.nodes[ci].inputs.firstIndex(of: y), graph.nodes[ci].inputs.lastIndex(of: y) == position
            else { continue }
            let reader = graph.nodes[ci]
            let layout: ActivationLayout
            if Self.isSparseLinear(reader) && position == 0 {
                layout = .featurePanels
                graph.nodes[ci].attributes[Self.inputAttribute] = .int(layout.rawValue)
            } else if reader.opType == AttentionOperator.opType, reader.domain == OperatorRegistry.internalDomain, [0, 2, 4].contains(position) {
                var flags = [0, 0, 0]
                if case .ints(let marked)? = reader.attributes[AttentionOperator.featureMajorAttribute], marked.count == 3 { flags = marked }
                flags[position / 2] = 1
                graph.nodes[ci].attributes[AttentionOperator.featureMajorAttribute] = .ints(flags)
                layout = .featureMajor
            } else {
                continue
            }
            graph.nodes[pi].attributes[Self.outputAttribute] = .int(layout.rawValue)
            handoffs += 1
        }
        return handoffs
    }

    /// A MatMul running on `spmm`: its 2-D constant B compressed.
    static func isSparseLinear(_ node: Node) -> Bool {
        guard node.opType == "MatMul", node.domain.isEmpty, case .ints(let shape)? = node.attributes[SparseWeightSelection.shapeAttribute]
        else { return false }
        return shape.count == 2
    }

    /// Whether everything after the product is elementwise or per feature: no fused residual, and no fused Add or one
    /// whose operand is a constant with one value per output feature (`FusedAdd.featureBias`).
    private func finishesInProduct(_ node: Node, _ graph: Graph) -> Bool {
        guard node.attributes[FusedAdd.residualAttribute] == nil else { return false }
        guard node.attributes[FusedAdd.attribute] != nil else { return true }
        guard node.inputs.count == 3, let addend = graph.initializers[node.inputs[2]],
              case .ints(let shape)? = node.attributes[SparseWeightSelection.shapeAttribute]
        else { return false }
        return addend.dataType == .float && addend.shape.last == shape.last && addend.shape.dropLast().allSatisfy { $0 == 1 }
    }
}
