/// A rewrite of the graph before planning. Passes keep the graph's meaning: outputs stay
/// bit-for-bit or within float rounding of the unoptimized graph.
protocol GraphPass {
    /// A short name for logs.
    var name: String { get }
    /// Rewrites `graph` in place; returns how many nodes changed.
    func apply(to graph: inout Graph, opsets: [String: Int], context: KernelContext) throws -> Int
}

extension Graph {
    /// Value name → indices of nodes reading it.
    func consumers() -> [String: [Int]] {
        var map: [String: [Int]] = [:]
        for (i, node) in nodes.enumerated() {
            for input in node.inputs where !input.isEmpty { map[input, default: []].append(i) }
        }
        return map
    }

    /// Value name → index of the node writing it.
    func producers() -> [String: Int] {
        var map: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            for output in node.outputs where !output.isEmpty { map[output] = i }
        }
        return map
    }

    /// Applies a pass's rewrite in node order: node i becomes `replacements[i]` when there is one, else is dropped
    /// when `removed` holds it, else stays.
    mutating func rewrite(replacing replacements: [Int: Node] = [:], removing removed: Set<Int>) {
        nodes = nodes.enumerated().compactMap { i, node in replacements[i] ?? (removed.contains(i) ? nil : node) }
    }

    /// True if `name` is a graph output.
    func isOutput(_ name: String) -> Bool { outputs.contains { $0.name == name } }
}

/// The pass pipeline: optional magnitude pruning (`--sparsify`), QDQ recognition (quantized layers and softmax, movement on
/// quantized tensors), constant folding, lookup tables for elementwise chains between DQ and Q, BatchNorm folding,
/// LayerNorm fusion, GELU fusion, Add fusion (residual and bias Adds into Conv/MatMul), activation fusion, attention
/// fusion, GELU into a MatMul's epilogue, SiLU fusion, layer norms that feed quantization marked to sum in ONNX
/// Runtime's order, sparse weight selection (float, with feature-major hand-offs between sparse linear layers and panels
/// shared by sparse layers that read one value, and quantized), dead code.
enum PassPipeline {
    static func passes(sparsify: Double?, sparseKernels: Bool) -> [GraphPass] {
        var passes: [GraphPass] = []
        if let sparsify { passes.append(MagnitudePruning(sparsity: sparsify)) }
        passes += [QDQFusion(), QDQSoftmaxFusion(), QDQPropagation(), ConstantFolding(), QDQLookupTable(), BatchNormFolding(), LayerNormFusion(), GeluFusion(), HardSwishFusion(),
                   AddFusion(), ActivationFusion(), AttentionFusion(), GeluEpilogueFusion(), SiLUFusion(), QuantizedLayerNormOrder()] as [GraphPass]
        if sparseKernels { passes += [SparseWeightSelection(), FeatureMajorHandoff(), SharedFeaturePanels(), QuantizedSparseSelection()] as [GraphPass] }
        passes.append(DeadCodeElimination())
        return passes
    }
}
