/// Chooses the layers that run on sparse kernels and compresses their weights: a `Conv` (2-D, one group),
/// `MatMul` or `Gemm` whose constant f32 weight has at least its kind's minimum sparsity of zeros gets its
/// weight input replaced by a `SparseWeights` byte tensor, and the dense shape recorded in
/// `zoo.sparse_weight_shape`.
/// The dense weight is then read by nobody and dead-code elimination drops it, so a pruned model holds
/// only its nonzeros.
///
/// The thresholds come from measurement (docs/sparse-kernels.md, `zoo bench --sparsify S` with and without
/// `ZOO_SPARSE=0`): below them the dense GEMM, which runs nearer peak, beats the sparse kernel's lower rate on
/// fewer multiply-adds. Convolutions break even between 50 % and 60 % zeros (ResNet-50); linear layers over
/// a few hundred tokens, where the dense GEMM has few rows to work with, already gain at 50 % (DistilBERT).
struct SparseWeightSelection: GraphPass {
    static let shapeAttribute = "zoo.sparse_weight_shape"
    /// Share of zeros from which a convolution runs sparse.
    static let convolutionMinimumSparsity = 0.6
    /// Share of zeros from which a Gemm or MatMul runs sparse.
    static let linearMinimumSparsity = 0.45

    var name: String { "sparse-weight-selection" }

    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int {
        var compressed: [String: String] = [:]
        var changed = 0
        for i in graph.nodes.indices {
            let node = graph.nodes[i]
            guard node.domain.isEmpty, node.inputs.count >= 2, node.attributes[Self.shapeAttribute] == nil,
                  let weight = graph.initializers[node.inputs[1]], weight.dataType == .float,
                  let layout = Self.layout(of: node, weight: weight), layout.m > 0, layout.k > 0
            else { continue }
            let name = node.inputs[1]
            if compressed[name] == nil {
                let values = weight.buffer(Float.self)
                let zeros = values.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
                let minimum = node.opType == "Conv" ? Self.convolutionMinimumSparsity : Self.linearMinimumSparsity
                guard Double(zeros) >= minimum * Double(values.count) else { continue }
                var sparseName = name + ".zoo_sparse"
                while graph.initializers[sparseName] != nil { sparseName += "_" }
                graph.initializers[sparseName] = SparseWeights.encode(
                    UnsafePointer(weight.pointer(Float.self)), m: layout.m, k: layout.k,
                    rowStride: layout.rowStride, columnStride: layout.columnStride)
                compressed[name] = sparseName
            }
            graph.nodes[i].inputs[1] = compressed[name]!
            graph.nodes[i].attributes[Self.shapeAttribute] = .ints(weight.shape)
            changed += 1
        }
        return changed
    }

    /// How the weight reads as the M×K matrix of `SparseWeights`, or nil when the node's sparse form is not
    /// implemented (grouped or non-2-D convolution, Gemm with transA or alpha ≠ 1, batched MatMul weights).
    static func layout(of node: Node, weight: Tensor) -> (m: Int, k: Int, rowStride: Int, columnStride: Int)? {
        let s = weight.shape
        func intAttribute(_ name: String, _ defaultValue: Int) -> Int {
            if case .int(let v)? = node.attributes[name] { return v }
            return node.attributes[name] == nil ? defaultValue : -1
        }
        switch node.opType {
        case "Conv":
            guard s.count == 4, intAttribute("group", 1) == 1 else { return nil }
            return (s[0], s[1] * s[2] * s[3], s[1] * s[2] * s[3], 1)
        case "MatMul":
            guard s.count == 2 else { return nil }
            return (s[1], s[0], 1, s[1])
        case "Gemm":
            guard s.count == 2, intAttribute("transA", 0) == 0 else { return nil }
            if let alpha = node.attributes["alpha"] {
                guard case .float(1) = alpha else { return nil }
            }
            return intAttribute("transB", 0) == 1 ? (s[0], s[1], s[1], 1) : (s[1], s[0], 1, s[1])
        default:
            return nil
        }
    }
}
