/// How a node runs, for profiles: a Conv, Gemm or MatMul with a constant weight runs on the sparse
/// kernel (its weight compressed by `SparseWeightSelection`) or the dense GEMM, a quantized layer on the sparse
/// or dense INT8 kernels (as `QuantizedSparseSelection` chose); other nodes on their operator's own loops.
struct LayerKind {
    /// `sparse <spmm kernels>`, `dense <indirect GEMM kernels>` (convolutions), `dense <Winograd transforms + gemm
    /// or igemmc kernel>` (3×3 stride-1 convolutions `WinogradConvolution` takes, by its form), `dense <gemm kernel>`, or the operator type.
    let kernel: String
    /// Zeros among the weight's elements, for weight layers.
    let weightSparsity: Double?

    /// `outputShape` (the node's first output, when known) tells which form a convolution takes.
    init(_ node: Node, weight: Tensor?, outputShape: [Int]? = nil, kernels: KernelConfig) {
        let weightLayer = ["Conv", "Gemm", "MatMul"].contains(node.opType) && node.domain.isEmpty
        if weightLayer, node.attributes[SparseWeightSelection.shapeAttribute] != nil, let weight, let sparse = SparseWeights(weight) {
            kernel = "sparse " + kernels.spmmNames
            weightSparsity = sparse.sparsity
        } else if let zeros = node.attributes[QuantizedSparseSelection.sparsityAttribute], case .float(let share) = zeros {
            let sparse = node.attributes[QuantizedSparseSelection.attribute] != nil
            kernel = sparse ? "sparse " + kernels.qs8.spmmNames : "dense " + kernels.qs8.igemmName
            weightSparsity = Double(share)
        } else if weightLayer, let weight, weight.dataType == .float, weight.rank >= 2 {
            var group = 1
            if case .int(let g)? = node.attributes["group"] { group = g }
            if group > 1 && weight.shape[1] == 1 {
                kernel = "dense depthwise"
            } else if node.opType == "Conv", weight.rank == 4, let output = outputShape,
                      let form = WinogradConvolution.form(kernel: Array(weight.shape[2...]), strides: Self.ints(node, "strides") ?? [1, 1],
                                                          dilations: Self.ints(node, "dilations") ?? [1, 1], group: group,
                                                          channels: weight.shape[1] * group, output: output) {
                let tiles = output.count > 3 ? (output[2] + 3) / 4 * ((output[3] + 3) / 4) : 0
                kernel = "dense " + kernels.winogradName + " + " + (form == .overTiles ? kernels.gemmName : kernels.igemmcName(pixels: tiles))
            } else if node.opType == "Conv" && weight.rank <= 4 {
                // 1-D and 2-D convolutions run an indirect GEMM over pixels or over channels, chosen per shape.
                let pixels = (outputShape ?? []).dropFirst(2).reduce(1, *)
                kernel = "dense " + kernels.igemmName + " + " + kernels.igemmcName(pixels: pixels)
            } else {
                kernel = "dense " + kernels.gemmName
            }
            let zeros = weight.buffer(Float.self).reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            weightSparsity = Double(zeros) / Double(max(weight.count, 1))
        } else {
            kernel = node.opType
            weightSparsity = nil
        }
    }

    /// A node's list-of-ints attribute, or nil.
    private static func ints(_ node: Node, _ name: String) -> [Int]? {
        if case .ints(let values)? = node.attributes[name] { return values }
        return nil
    }
}
