/// The time one node took per run, from `InferenceSession.profile`.
public struct NodeTiming: Sendable, Equatable {
    /// The node's name (its first output's name when the node has none).
    public let name: String
    /// The ONNX operator, e.g. `Conv`.
    public let opType: String
    /// Mean seconds per run.
    public let seconds: Double
    /// The shape of the node's first output.
    public let outputShape: [Int]
    /// Zeros among the node's constant weights (Conv, Gemm, MatMul), nil for other nodes.
    public let weightSparsity: Double?
    /// What ran the node: `sparse` or `dense` and the microkernel for weight layers, else the operator.
    public let kernel: String
}
