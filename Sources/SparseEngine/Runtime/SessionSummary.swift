/// What an `InferenceSession` did to its model and how it runs it: read-only facts for reports
/// (`zoo bench`), fixed when the session is created.
public struct SessionSummary: Sendable, Equatable {
    /// One graph pass and how many nodes it changed.
    public struct PassResult: Sendable, Equatable {
        /// The pass name, e.g. `batchnorm-folding`.
        public let name: String
        /// Nodes folded, fused or removed by the pass.
        public let changed: Int
    }

    /// The instruction set the kernels use (`avx512`, `avx2`, `scalar`).
    public let isa: String
    /// True when the CPU has AVX-512 VNNI (int8 dot products).
    public let vnni: Bool
    /// The dense f32 GEMM microkernel.
    public let gemmKernel: String
    /// The f32 SpMM microkernel of the sparse layers.
    public let spmmKernel: String
    /// Threads each run uses, the calling thread included.
    public let threads: Int
    /// Nodes in the model as loaded.
    public let nodesLoaded: Int
    /// Nodes left to run after the passes.
    public let nodesAfterOptimization: Int
    /// The passes, in the order they ran (empty when optimization is off).
    public let passes: [PassResult]
    /// Operator type → number of nodes of that type after optimization.
    public let operatorCounts: [String: Int]
    /// Convolution, Gemm and MatMul nodes whose weight is a constant.
    public let weightLayers: Int
    /// Of those, the layers run by a sparse kernel (compressed weights, zeros skipped).
    public let sparseLayers: Int
    /// Zeros among the elements of those constant weights (0…1), nil when there are none.
    public let weightSparsity: Double?

    /// Fusions the passes made (BatchNorm folded into Conv, layer norms, GELUs, Adds and activations fused).
    public var fusedLayers: Int {
        let merging = [BatchNormFolding().name, LayerNormFusion().name, GeluFusion().name, AddFusion().name, ActivationFusion().name, GeluEpilogueFusion().name, SiLUFusion().name]
        return passes.filter { merging.contains($0.name) }.reduce(0) { $0 + $1.changed }
    }

    /// Builds the summary of an optimized graph.
    init(graph: Graph, nodesLoaded: Int, passes: [PassResult], threads: Int, kernels: KernelConfig) {
        isa = CPUFeatures.current.isaName
        vnni = CPUFeatures.current.avx512vnni
        gemmKernel = kernels.gemmName
        spmmKernel = kernels.spmmNames
        self.threads = threads
        self.nodesLoaded = nodesLoaded
        nodesAfterOptimization = graph.nodes.count
        self.passes = passes
        operatorCounts = graph.nodes.reduce(into: [:]) { $0[$1.opType, default: 0] += 1 }
        var layers = 0, sparse = 0, zeros = 0, elements = 0
        for node in graph.nodes {
            if case .float(let share)? = node.attributes[QuantizedSparseSelection.sparsityAttribute],
               let inputs = QuantizedSparseSelection.weightInputs(node.opType), let weight = graph.initializers[node.inputs[inputs.weight]] {
                layers += 1
                sparse += node.attributes[QuantizedSparseSelection.attribute] != nil ? 1 : 0
                elements += weight.count
                zeros += Int((Double(share) * Double(weight.count)).rounded())
                continue
            }
            guard ["Conv", "Gemm", "MatMul"].contains(node.opType) && node.domain.isEmpty else { continue }
            guard node.inputs.count > 1, let weight = graph.initializers[node.inputs[1]] else { continue }
            if node.attributes[SparseWeightSelection.shapeAttribute] != nil, let compressed = SparseWeights(weight) {
                layers += 1
                sparse += 1
                elements += compressed.m * compressed.k
                zeros += compressed.m * compressed.k - compressed.nonzeros
            } else if weight.dataType == .float {
                layers += 1
                elements += weight.count
                zeros += weight.buffer(Float.self).reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            }
        }
        weightLayers = layers
        sparseLayers = sparse
        weightSparsity = elements == 0 ? nil : Double(zeros) / Double(elements)
    }
}
