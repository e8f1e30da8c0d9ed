/// Fuses a transformer's scaled dot-product attention into one `zoo.Attention` node (`AttentionOperator`):
///
///     q → Reshape → Transpose(0,2,1,3) → [Div or Mul by a constant scalar] ─┐
///     k → Reshape → Transpose(0,2,3,1) ───────────────────────────────────── MatMul [+ mask, fused by AddFusion]
///       → Softmax(last axis) → MatMul(·, v → Reshape → Transpose(0,2,1,3)) → Transpose(0,2,1,3) → Reshape
///
/// as PyTorch exports BERT-style self-attention. The node reads each head where the projections wrote it, keeps a
/// head's scores in cache between the two products, and writes tokens × heads directly: the three head
/// transposes, the scaling pass, the scores tensor, the softmax pass and the transpose back are gone.
/// Every intermediate value must have its one reader in the pattern and be no graph output. Shapes are checked when
/// planning (`AttentionOperator.inferOutputs`). Runs after `AddFusion` and `ActivationFusion`.
struct AttentionFusion: GraphPass {
    var name: String { "attention-fusion" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        let matcher = Matcher(graph: graph, opset: opsets[""] ?? 0)
        var replacements: [Int: Node] = [:]
        var removed = Set<Int>()
        for si in graph.nodes.indices {
            guard let match = matcher.attention(softmax: si), match.nodes.isDisjoint(with: removed) else { continue }
            removed.formUnion(match.nodes)
            replacements[match.last] = match.fused
        }
        graph.rewrite(replacing: replacements, removing: removed)
        return replacements.count
    }
}

extension AttentionFusion {
    /// One matched attention: the nodes it replaces, the last of them (where the fused node goes), and the fused node.
    struct Match {
        let nodes: Set<Int>
        let last: Int
        let fused: Node
    }

    /// Walks the pattern from its Softmax.
    struct Matcher {
        let graph: Graph
        let opset: Int
        let consumers: [String: [Int]]
        let producer: [String: Int]

        init(graph: Graph, opset: Int) {
            self.graph = graph
            self.opset = opset
            consumers = graph.consumers()
            producer = graph.producers()
        }

        func attention(softmax si: Int) -> Match? {
            let softmax = graph.nodes[si]
            guard isDefault(softmax, "Softmax"), lastAxis(softmax),
                  let scores = softmax.inputs.first, let m1 = soleProducer(scores, op: "MatMul"), plainProduct(graph.nodes[m1], maskAllowed: true),
                  let probabilities = softmax.outputs.first, let m2 = soleReader(probabilities, op: "MatMul"),
                  graph.nodes[m2].inputs.first == probabilities, plainProduct(graph.nodes[m2], maskAllowed: false),
                  let back = soleReader(graph.nodes[m2].outputs[0], op: "Transpose"), permutation(graph.nodes[back]) == [0, 2, 1, 3],
                  let merge = soleReader(graph.nodes[back].outputs[0], op: "Reshape"), plainReshape(graph.nodes[merge])
            else { return nil }
            let product = graph.nodes[m1]
            let (scaled, scale, scaling) = queryScale(product.inputs[0])
            guard let q = heads(scaled, permutation: [0, 2, 1, 3]),
                  let k = heads(product.inputs[1], permutation: [0, 2, 3, 1]),
                  let v = heads(graph.nodes[m2].inputs[1], permutation: [0, 2, 1, 3])
            else { return nil }
            var nodes: Set<Int> = [si, m1, m2, back, merge, q.transpose, q.reshape, k.transpose, k.reshape, v.transpose, v.reshape]
            if let scaling { nodes.insert(scaling) }
            guard nodes.count == 11 + (scaling == nil ? 0 : 1) else { return nil }
            var inputs = [q.input, q.shape, k.input, k.shape, v.input, v.shape, graph.nodes[merge].inputs[1]]
            if product.inputs.count == 3 { inputs.append(product.inputs[2]) }
            let fused = Node(name: softmax.name, opType: AttentionOperator.opType, domain: OperatorRegistry.internalDomain,
                             inputs: inputs, outputs: graph.nodes[merge].outputs, attributes: ["scale": .float(scale)])
            return Match(nodes: nodes, last: nodes.max()!, fused: fused)
        }

        /// A head split: `value = Transpose(Reshape(input, shape), permutation)`, both nodes read only by the pattern.
        private func heads(_ value: String, permutation expected: [Int]) -> (input: String, shape: String, transpose: Int, reshape: Int)? {
            guard let transpose = soleProducer(value, op: "Transpose"), permutation(graph.nodes[transpose]) == expected,
                  let split = graph.nodes[transpose].inputs.first, let reshape = soleProducer(split, op: "Reshape"),
                  plainReshape(graph.nodes[reshape])
            else { return nil }
            return (graph.nodes[reshape].inputs[0], graph.nodes[reshape].inputs[1], transpose, reshape)
        }

        /// The query heads before a Div or Mul by a constant scalar, the scale that makes, and the scaling node.
        private func queryScale(_ value: String) -> (value: String, scale: Float, node: Int?) {
            for op in ["Div", "Mul"] {
                guard let i = soleProducer(value, op: op), graph.nodes[i].inputs.count == 2 else { continue }
                let node = graph.nodes[i]
                for (operand, constant) in [(node.inputs[0], node.inputs[1]), (node.inputs[1], node.inputs[0])] {
                    if op == "Div" && operand != node.inputs[0] { continue }
                    guard let c = graph.initializers[constant], c.dataType == .float, c.count == 1, c.shape.count <= 1 else { continue }
                    let factor = c.pointer(Float.self)[0]
                    return (operand, op == "Div" ? 1 / factor : factor, i)
                }
            }
            return (value, 1, nil)
        }

        /// Whether `node` is the default domain's `op`.
        private func isDefault(_ node: Node, _ op: String) -> Bool { node.opType == op && node.domain.isEmpty }

        /// The node writing `value`, when it is `op`, `value` is its only output, the pattern its only reader and no graph output.
        private func soleProducer(_ value: String, op: String) -> Int? {
            guard let i = producer[value], isDefault(graph.nodes[i], op), graph.nodes[i].outputs == [value],
                  consumers[value]?.count == 1, !graph.isOutput(value)
            else { return nil }
            return i
        }

        /// The only node reading `value` (no graph output), when it is `op`.
        private func soleReader(_ value: String, op: String) -> Int? {
            guard let readers = consumers[value], readers.count == 1, !graph.isOutput(value), isDefault(graph.nodes[readers[0]], op),
                  graph.nodes[readers[0]].outputs.count == 1
            else { return nil }
            return readers[0]
        }

        /// A MatMul with nothing fused into it but, where allowed, an Add (the mask).
        private func plainProduct(_ node: Node, maskAllowed: Bool) -> Bool {
            let fusedAdd = node.attributes[FusedAdd.attribute] != nil
            let others = node.attributes.keys.filter { $0 != FusedAdd.attribute }
            return others.isEmpty && node.inputs.count == (fusedAdd ? 3 : 2) && (maskAllowed || !fusedAdd)
        }

        /// Softmax over the last axis of the rank-4 scores: axis -1 or 3 (before opset 13, 3 is the last axis too).
        private func lastAxis(_ node: Node) -> Bool {
            switch node.attributes["axis"] {
            case .int(let axis)?: return axis == -1 || axis == 3
            case nil: return opset >= 13
            default: return false
            }
        }

        /// A Reshape whose 0s copy dimensions (no `allowzero`), as `AttentionOperator` reads its shapes.
        private func plainReshape(_ node: Node) -> Bool {
            guard node.inputs.count == 2 else { return false }
            switch node.attributes["allowzero"] {
            case nil: return true
            case .int(let value)?: return value == 0
            default: return false
            }
        }

        /// A Transpose's `perm`, nil when absent (the reversal, never a head split).
        private func permutation(_ node: Node) -> [Int]? {
            if case .ints(let perm)? = node.attributes["perm"] { return perm }
            return nil
        }
    }
}
