/// The time one node took per run, from `InferenceSession.profile`.
public struct NodeTiming: Sendable, Equatable {
    /// The node's name (its first output's name when the node has none).
    public let name: String
    /// The ONNX operator, e.g. `Conv`.
    public let opType: String
    /// Mean seconds per run.
    public let seconds: Double
}
